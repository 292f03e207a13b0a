"""houqin-xl: the command line. The same few lines as the Excel buttons, with files."""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any

from . import __version__
from .config import load_config
from .errors import InputError
from .outputs.progress import Progress
from .outputs.safe_write import write_bytes_atomic
from .period import Period
from .read import iter_grids
from .read.ahead import read_ahead


class _Parser(argparse.ArgumentParser):
    """argparse, with its complaints in one Chinese and English line (exit 2, as bad input)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        words = {"the following arguments are required": "缺少必需的参数",
                 "unrecognized arguments": "无法识别的参数", "invalid choice": "无效的选项",
                 "expected one argument": "该选项需要一个值", "argument": "参数"}
        chinese = next((zh for en, zh in words.items() if en in message), "命令行参数有误")
        self.exit(2, f"houqin-xl: {chinese}：{message} / usage error（运行 {self.prog} --help 查看用法）\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="houqin-xl", description="校验与核对学校后勤台账 / validate and reconcile school ledgers")
    parser.add_argument("--version", action="version", version=f"houqin-xl {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    chk = sub.add_parser("check", help="校验并核对台账 / validate and reconcile ledgers")
    chk.add_argument("paths", nargs="+", metavar="PATH", help="工作簿或文件夹 / workbooks or folders")
    chk.add_argument("--period", help="结账月份 YYYY-MM（默认：数据中最近的月份）")
    chk.add_argument("--config", help="学校设置文件 houqin.toml")
    chk.add_argument("--json", dest="json_out", metavar="OUT.json", help="写出JSON报告")
    chk.add_argument("--report", metavar="OUT.xlsx", help="写出Excel核对报告")
    chk.add_argument("--quiet", action="store_true", help="不显示进度")

    ann = sub.add_parser("annotate", help="标记副本：在台账副本中标出问题单元格 / an annotated copy")
    ann.add_argument("ledger", metavar="LEDGER.xlsx", help="台账工作簿（只读，不会被修改）")
    ann.add_argument("--out", default=None, help="副本路径（默认 LEDGER-核对.xlsx）")
    ann.add_argument("--period", help="结账月份 YYYY-MM")
    ann.add_argument("--config", help="学校设置文件 houqin.toml")

    add = sub.add_parser("addin", help="Excel加载项 houqin.xlam / the Excel add-in")
    add_sub = add.add_subparsers(dest="addin_command", required=True)
    build = add_sub.add_parser("build", help="生成 houqin.xlam / build the add-in")
    build.add_argument("--out", default="build", help="输出文件夹或 .xlam 路径（默认 build/）")
    install = add_sub.add_parser("install", help="安装到Excel启动文件夹 XLSTART / install into XLSTART")
    install.add_argument("--from", dest="source", default=None, help="已生成的 houqin.xlam（默认现场生成）")
    install.add_argument("--to", dest="target", default=None, help="目标文件夹（默认 Excel 的 XLSTART）")

    tpl = sub.add_parser("template", help="生成带按钮的空白台账模板 .xlsm / the template workbook")
    tpl.add_argument("--out", default="workbooks", help="输出文件夹或 .xlsm 路径（默认 workbooks/）")

    many = sub.add_parser("check-many", help="区县汇总：每个子文件夹一所学校 / one subfolder per school")
    many.add_argument("root", metavar="DIR", help="学校子文件夹所在的文件夹")
    many.add_argument("--out", default=None, help="输出文件夹（默认 DIR/核对结果）")
    many.add_argument("--period", help="结账月份 YYYY-MM")
    many.add_argument("--jobs", type=int, default=None, help="并行进程数（默认：CPU核数）")
    many.add_argument("--no-report", action="store_true", help="只写JSON，不写各校Excel报告")
    many.add_argument("--quiet", action="store_true", help="不显示进度")

    doc = sub.add_parser("doctor", help="按钮没反应时检查安装 / why does a button do nothing")
    doc.add_argument("--ledger", default=None, help="点按钮的台账工作簿（可选）")
    doc.add_argument("--template", default=None, help="模板工作簿 .xlsm（可选）")

    demo = sub.add_parser("demo", help="生成示例工作簿并运行月度核对 / write samples and check them")
    demo.add_argument("--out", default="out/demo", help="输出文件夹（默认 out/demo）")
    demo.add_argument("--workbooks", default=None, help="示例工作簿写到此处（默认 OUT/workbooks）")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # stdout and stderr carry only the tool's own lines: a library's warning is not one of them.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    """The command, with every failure as one line: 2 for input that cannot be used, 3 for a
    bug of ours (or a panic inside a library), never a traceback."""
    try:
        if args.command == "check":
            return run_check(args.paths, period=args.period, config_path=args.config,
                             json_out=args.json_out, report_out=args.report, quiet=args.quiet)
        if args.command == "annotate":
            return run_annotate(args.ledger, args.out, args.config, args.period)
        if args.command == "addin":
            from .excel import addin

            if args.addin_command == "build":
                print(f"已生成 built: {addin.build_addin(Path(args.out))}")
            else:
                target = addin.install_addin(Path(args.source) if args.source else None,
                                             Path(args.target) if args.target else None)
                print(f"已安装 installed: {target}（重新打开Excel后出现“后勤台账”选项卡）")
            return 0
        if args.command == "template":
            from .excel.template import build_template

            print(f"已生成 built: {build_template(Path(args.out))}")
            return 0
        if args.command == "check-many":
            return run_check_many(Path(args.root), Path(args.out) if args.out else None,
                                  args.period, args.jobs, not args.no_report, quiet=args.quiet)
        if args.command == "doctor":
            from .excel.doctor import run as run_doctor

            return run_doctor(Path(args.ledger) if args.ledger else None,
                              Path(args.template) if args.template else None)
        if args.command == "demo":
            from .samples.demo import run_demo

            return run_demo(Path(args.out), Path(args.workbooks) if args.workbooks else None)
    except InputError as exc:
        print(f"houqin-xl: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("houqin-xl: 已中断 / interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        # Past the limits a school set for itself (houqin.toml), or a machine short of memory.
        print("houqin-xl: 内存不足，无法完成核对（文件过大？可在 houqin.toml 中调低 max_cells）"
              " / out of memory", file=sys.stderr)
        return 2
    except BaseException as exc:  # a bug of ours — or a Rust panic (a BaseException) — in one line
        if isinstance(exc, SystemExit | GeneratorExit):
            raise
        if os.environ.get("HOUQIN_DEBUG"):
            raise
        print(f"houqin-xl: 内部错误 / internal error: {type(exc).__name__}: {_one_line(exc)}",
              file=sys.stderr)
        return 3
    return 0


def _one_line(exc: BaseException) -> str:
    """An exception's message on one line, at most 300 characters (a library's message may
    quote a whole cell or span lines)."""
    text = " ".join(str(exc).split())
    return text if len(text) <= 300 else text[:297] + "…"


def run_check(paths: list[str], period: str | None = None, config_path: str | None = None,
              json_out: str | None = None, report_out: str | None = None,
              stream=None, quiet: bool = False) -> int:
    """Check the ledgers; write what was asked; return the exit status (0 clean, 1 errors)."""
    stream = stream or sys.stdout
    if period is not None:
        Period.parse(period)  # a mistyped period stops the run before anything is read
    config = load_config(config_path, beside=[Path(p) for p in paths])
    files: list[Path] = []

    def read_one(path: Path, done: int, total: int) -> None:
        files.append(path)
        progress.file(path, done, total)

    grids = iter_grids(paths, on_file=read_one)
    refuse_outputs_over_inputs(grids.input_paths(), json_out=json_out, report_out=report_out)
    with Progress(False if quiet else None) as progress:
        # The first sheet is parsed on the other core while pandas and pandera import.
        grids = read_ahead(grids)
        from .check import check

        # A stream: each sheet is checked while the next is read (read.iter_workbook).
        checked = check(grids, config, period, progress=progress.stage)
        # Render every output in memory first: a failure leaves no half-written file behind.
        progress.stage("write")
        outputs: list[tuple[Path, bytes]] = []
        if json_out:
            payload = checked.result.to_json(__version__)
            # A lone surrogate (no reader makes one, but text comes from outside) becomes U+FFFD
            # rather than an encoding error after the whole check.
            outputs.append((Path(json_out), json.dumps(payload, ensure_ascii=False, indent=2)
                            .encode("utf-8", "replace")))
        if report_out:
            from .outputs.write import report_bytes

            outputs.append((Path(report_out), report_bytes(checked, report_out)))
        for target, data in outputs:
            write_bytes_atomic(target, data)
    status = 1 if checked.result.errors else 0
    try:
        if not json_out and not report_out:
            from .outputs.terminal import print_summary

            print_summary(checked, stream, files=len(files))
        else:
            result = checked.result
            # Files of a folder not read are in the JSON's `files`; the one line says how many,
            # so "0 条发现" never stands alone beside a file that was not checked.
            unread = sum(1 for f in result.files if f.outcome in ("unreadable", "not_a_ledger"))
            unread_text = f"，{unread} 个文件未读（见 files）" if unread else ""
            print(f"{len(result.findings)} 条发现（错误 {result.errors}，警告 {result.warnings}）"
                  f"{unread_text} → {', '.join(str(t) for t, _ in outputs)}", file=stream)
            for notice in result.notices:
                print(f"注意 notice: {notice}", file=sys.stderr)
    except BrokenPipeError:
        _quiet_stdout()  # `check … | head` closed the pipe: the check itself is done
    return status


def _quiet_stdout() -> None:
    """After the reader of our output went away (a pipe into head), send what is left to the
    null device, so Python's own flush at exit does not fail too."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def refuse_outputs_over_inputs(inputs: list[Path], json_out: str | None = None,
                               report_out: str | None = None) -> None:
    """No output may be one of the run's inputs (`check 台账.xlsx --report 台账.xlsx` would
    replace the ledger with the report), and the report is an .xlsx workbook."""
    taken = {p.resolve() for p in inputs}
    for option, target in (("--json", json_out), ("--report", report_out)):
        if target is None:
            continue
        path = Path(target)
        if path.resolve() in taken:
            raise InputError(f"{option} 的输出文件不能是要核对的台账本身 / {option} must not be one of the "
                             f"inputs: {path}")
        if path.is_dir():
            raise InputError(f"{option} 应为文件名，不是文件夹 / {option} must name a file: {path}")
    if report_out is not None and Path(report_out).suffix.lower() != ".xlsx":
        raise InputError(f"--report 应为 .xlsx 文件名 / --report must name an .xlsx file: {report_out}")
    if json_out is not None and json_out == report_out:
        raise InputError(f"--json 与 --report 不能是同一个文件 / --json and --report must differ: {json_out}")


def run_annotate(ledger_path: str, out_path: str | None = None, config_path: str | None = None,
                 period: str | None = None, stream: Any = None, err: Any = None) -> int:
    """`houqin-xl annotate LEDGER.xlsx --out COPY.xlsx`: check the workbook, write the marked
    copy, print one line per notice on stderr. Exit status as for check: 0 clean, 1 errors
    found; InputError (→ 2) for an .xls, a missing file, or --out naming the ledger itself."""
    from .outputs.annotate import annotate, default_out_path, marked_cells, refuse_overwrite

    stream = stream or sys.stdout
    err = err or sys.stderr
    source = Path(ledger_path)
    target = Path(out_path) if out_path else default_out_path(source)
    if not source.exists():
        raise InputError(f"找不到文件 / file not found: {source}")
    refuse_overwrite(source, target)
    config = load_config(config_path, beside=[source])
    # The tool's own sheets are never read as ledgers.
    from .check import check

    checked = check(iter_grids([source]), config, period)
    notices = annotate(source, target, checked)
    for line in notices:
        print(f"houqin-xl: {line}", file=err)
    result = checked.result
    marked = marked_cells(result.findings, source)
    print(f"{len(result.findings)} 条发现（错误 {result.errors}，警告 {result.warnings}），"
          f"标记 {marked} 个单元格 → {target}", file=stream)
    if result.skipped_rules:
        # One workbook of a set: say which reconciliations could not run, so "0 条发现" is
        # not read as "the books balance".
        titles = "、".join(s.get("title") or s["rule"] for s in result.skipped_rules)
        print(f"注意：这个工作簿缺少所需的台账，以下核对未执行：{titles}。"
              "要核对全部账目，请用 check 检查整套台账（文件夹）。", file=stream)
    return 1 if result.errors else 0


def run_check_many(root: Path, out: Path | None, period: str | None, jobs: int | None,
                   write_report: bool = True, quiet: bool = False, stream=None) -> int:
    """Every school under root; the roll-up workbook and JSON in OUT. Exit 1 when any school has
    errors or could not be checked, 0 when all are clean."""
    from .district import check_many, rollup_bytes, rollup_json, stray_files

    stream = stream or sys.stdout
    if period is not None:
        Period.parse(period)  # stop before any school is checked or anything written
    out = out or (root / "核对结果")
    with Progress(False if quiet else None) as progress:
        results = check_many(root, out, period, jobs, write_report,
                             lambda res, done, total: progress.item(f"学校 {res.school}", done, total))
    stray = stray_files(root)
    payload = json.dumps(rollup_json(results, period, stray), ensure_ascii=False, indent=2).encode()
    write_bytes_atomic(out / "区县汇总.json", payload)
    write_bytes_atomic(out / "区县汇总.xlsx", rollup_bytes(results, period, stray))
    failed = [r for r in results if not r.ok]
    with_errors = [r for r in results if r.ok and r.errors]
    print(f"{len(results)} 所学校：通过 {len(results) - len(failed) - len(with_errors)}，"
          f"有错误 {len(with_errors)}，无法核对 {len(failed)} → {out / '区县汇总.xlsx'}", file=stream)
    for res in failed:
        print(f"  无法核对 {res.school}: {res.error}", file=stream)
    if stray:
        print(f"  根目录中的文件未核对（不属于任何学校）: {'、'.join(stray)}", file=stream)
    return 1 if failed or with_errors else 0


if __name__ == "__main__":
    sys.exit(main())
