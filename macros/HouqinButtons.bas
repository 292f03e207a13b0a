Attribute VB_Name = "HouqinButtons"
' houqin-xl: the buttons of the ribbon tab and of the template's button sheet.
'
' This source is kept ASCII on purpose: a VBA project stores its code in one ANSI code page,
' so Chinese text typed here would show as question marks on a PC whose system locale is not
' Chinese. Every message a bursar reads comes from Python, except the two below that must work
' when Python cannot be reached; those are spelled with ChrW through U().
Option Explicit

' The ribbon calls this one callback for every button; the button's tag names the handler.
Public Sub HouqinOnAction(control As IRibbonControl)
    HouqinRun control.Tag
End Sub

' A button drawn on a sheet cannot carry a tag, so each one gets a one-line macro.
Public Sub HouqinValidate()
    HouqinRun "validate"
End Sub

Public Sub HouqinReconcile()
    HouqinRun "reconcile"
End Sub

Public Sub HouqinSummarise()
    HouqinRun "summarise"
End Sub

Public Sub HouqinClearMarks()
    HouqinRun "clear_marks"
End Sub

Public Sub HouqinMonthly()
    HouqinRun "monthly"
End Sub

' One way into Python for every button. RunPython is xlwings' own, from the xlwings add-in that
' "xlwings addin install" put in XLSTART: it takes the active workbook (the bursar's ledger) as
' the caller. xlwings does not compare its add-in with its Python package at run time;
' "houqin-xl doctor" does.
Public Sub HouqinRun(ByVal action As String)
    Dim command As String
    If ActiveWorkbook Is Nothing Then
        If InProtectedView() Then
            ' A ledger opened from an e-mail or a download: Excel shows it read-only and
            ' ActiveWorkbook is Nothing until she clicks Enable Editing.
            MsgBox U("5DE5 4F5C 7C3F 5904 4E8E 201C 53D7 4FDD 62A4 7684 89C6 56FE 201D FF0C 5B8F 4E0D 80FD 8BFB 5B83 3002 8BF7 5148 70B9 9EC4 8272 63D0 793A 680F 4E0A 7684 201C 542F 7528 7F16 8F91 201D FF0C 518D 70B9 6309 94AE 3002") _
                & vbCrLf & vbCrLf & "Protected View: click Enable Editing first.", vbExclamation, "houqin-xl"
        Else
            MsgBox U("8BF7 5148 6253 5F00 53F0 8D26 5DE5 4F5C 7C3F 3002"), vbExclamation, "houqin-xl"
        End If
        Exit Sub
    End If
    command = "import houqin_xl.excel as h; h.dispatch('" & action & "')"
    On Error GoTo NoXlwings
    Application.Run "'xlwings.xlam'!RunPython", command
    Exit Sub
NoXlwings:
    MsgBox U("672A 627E 5230 0020 0078 006C 0077 0069 006E 0067 0073 0020 52A0 8F7D 9879 FF0C 8BF7 5728 547D 4EE4 63D0 793A 7B26 4E2D 8FD0 884C FF1A") & vbCrLf & "    py -m xlwings.cli addin install" & vbCrLf & vbCrLf _
        & "The xlwings add-in is not loaded. Run: py -m xlwings.cli addin install" & vbCrLf _
        & "(" & Err.Description & ")", vbCritical, "houqin-xl"
End Sub

' True when the window in front is a Protected View window. Asked late-bound through an
' Object: Excel 2007 has no ActiveProtectedViewWindow, and an early-bound call to it would
' stop this module from compiling there.
Private Function InProtectedView() As Boolean
    Dim app As Object
    Set app = Application
    On Error Resume Next
    InProtectedView = Not (app.ActiveProtectedViewWindow Is Nothing)
    On Error GoTo 0
End Function

' Text from UTF-16 code units written as hex, so that this file can stay ASCII.
Private Function U(ByVal codes As String) As String
    Dim parts() As String
    Dim i As Long
    parts = Split(codes, " ")
    For i = LBound(parts) To UBound(parts)
        U = U & ChrW(CLng("&H" & parts(i)))
    Next i
End Function
