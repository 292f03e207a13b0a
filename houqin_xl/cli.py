"""houqin-xl: the command line. The same few lines as the Excel buttons, with files."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

from . import __version__
from .check import Checked, check
from .config import load_config
from .findings import KINDS, CheckResult
from .progress import Progress
from .read import InputError, iter_grids
from .safe_write import write_bytes_atomic

FIRST_FINDINGS = 20


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="houqin-xl", description="校验与核对学校后勤台账 / validate and reconcile school ledgers")
    parser.add_argument("--version", action="version", version=f"houqin-xl {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

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

    demo = sub.add_parser("demo", help="生成示例工作簿并运行月度核对 / write samples and check them")
    demo.add_argument("--out", default="out/demo", help="输出文件夹（默认 out/demo）")
    demo.add_argument("--workbooks", default=None, help="示例工作簿写到此处（默认 OUT/workbooks）")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return run_check(args.paths, period=args.period, config_path=args.config,
                             json_out=args.json_out, report_out=args.report, quiet=args.quiet)
        if args.command == "annotate":
            from .annotate import run_annotate

            return run_annotate(args.ledger, args.out, args.config, args.period)
        if args.command == "addin":
            from . import addin

            if args.addin_command == "build":
                print(f"已生成 built: {addin.build_addin(Path(args.out))}")
            else:
                target = addin.install_addin(Path(args.source) if args.source else None,
                                             Path(args.target) if args.target else None)
                print(f"已安装 installed: {target}（重新打开Excel后出现“后勤台账”选项卡）")
            return 0
        if args.command == "template":
            from .template import build_template

            print(f"已生成 built: {build_template(Path(args.out))}")
            return 0
        if args.command == "check-many":
            return run_check_many(Path(args.root), Path(args.out) if args.out else None,
                                  args.period, args.jobs, not args.no_report, quiet=args.quiet)
        if args.command == "demo":
            from .samples import run_demo

            return run_demo(Path(args.out), Path(args.workbooks) if args.workbooks else None)
    except InputError as exc:
        print(f"houqin-xl: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("houqin-xl: 已中断 / interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours: one line, not a traceback, unless debugging
        if os.environ.get("HOUQIN_DEBUG"):
            raise
        print(f"houqin-xl: 内部错误 / internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 3
    return 0


def run_check(paths: list[str], period: str | None = None, config_path: str | None = None,
              json_out: str | None = None, report_out: str | None = None,
              stream=None, quiet: bool = False) -> int:
    """Check the ledgers; write what was asked; return the exit status (0 clean, 1 errors)."""
    stream = stream or sys.stdout
    config = load_config(config_path, beside=[Path(p) for p in paths])
    files: list[Path] = []

    def read_one(path: Path, done: int, total: int) -> None:
        files.append(path)
        progress.file(path, done, total)

    with Progress(False if quiet else None) as progress:
        # A stream: each sheet is checked while the next is read (read.iter_workbook).
        checked = check(iter_grids(paths, on_file=read_one), config, period, progress=progress.stage)
        # Render every output in memory first: a failure leaves no half-written file behind.
        progress.stage("write")
        outputs: list[tuple[Path, bytes]] = []
        if json_out:
            payload = checked.result.to_json(__version__)
            outputs.append((Path(json_out), json.dumps(payload, ensure_ascii=False, indent=2).encode()))
        if report_out:
            from .write import report_bytes

            outputs.append((Path(report_out), report_bytes(checked)))
        for target, data in outputs:
            write_bytes_atomic(target, data)
    if not json_out and not report_out:
        print_summary(checked, stream, files=len(files))
    else:
        result = checked.result
        print(f"{len(result.findings)} 条发现（错误 {result.errors}，警告 {result.warnings}）"
              f" → {', '.join(str(t) for t, _ in outputs)}", file=stream)
    return 1 if checked.result.errors else 0


def run_check_many(root: Path, out: Path | None, period: str | None, jobs: int | None,
                   write_report: bool = True, quiet: bool = False, stream=None) -> int:
    """Every school under root; the roll-up workbook and JSON in OUT. Exit 1 when any school has
    errors or could not be checked, 0 when all are clean."""
    from .district import check_many, rollup_bytes, rollup_json

    stream = stream or sys.stdout
    out = out or (root / "核对结果")
    with Progress(False if quiet else None) as progress:
        results = check_many(root, out, period, jobs, write_report,
                             lambda res, done, total: progress.item(f"学校 {res.school}", done, total))
    payload = json.dumps(rollup_json(results, period), ensure_ascii=False, indent=2).encode()
    write_bytes_atomic(out / "区县汇总.json", payload)
    write_bytes_atomic(out / "区县汇总.xlsx", rollup_bytes(results, period))
    failed = [r for r in results if not r.ok]
    with_errors = [r for r in results if r.ok and r.errors]
    print(f"{len(results)} 所学校：通过 {len(results) - len(failed) - len(with_errors)}，"
          f"有错误 {len(with_errors)}，无法核对 {len(failed)} → {out / '区县汇总.xlsx'}", file=stream)
    for res in failed:
        print(f"  无法核对 {res.school}: {res.error}", file=stream)
    return 1 if failed or with_errors else 0


def print_summary(checked: Checked, stream, files: int | None = None) -> None:
    """A readable summary: ledgers, counts by ledger × kind, the first findings, reconciliations."""
    result: CheckResult = checked.result
    w = stream.write
    w(f"houqin-xl {__version__}  期间 period: {result.period or '—'}"
      + (f"  工作簿 files: {files}" if files is not None else "") + "\n\n")
    w("台账 ledgers\n")
    for info in result.ledgers:
        w(f"  {info.ledger:<14} {Path(info.path).name} / {info.sheet}  表头行 {info.header_rows}"
          f"  数据 {info.rows} 行\n")
    counts = Counter((f.ledger, f.kind) for f in result.findings)
    if counts:
        kinds = [k for k in KINDS if any(kind == k for _, kind in counts)]
        ledgers = sorted({ledger for ledger, _ in counts})
        w("\n发现 findings (ledger × kind)\n")
        w("  " + f"{'':<14}" + "".join(f"{k:>17}" for k in kinds) + f"{'total':>8}\n")
        for ledger in ledgers:
            row = [counts.get((ledger, k), 0) for k in kinds]
            w("  " + f"{ledger:<14}" + "".join(f"{n:>17}" for n in row) + f"{sum(row):>8}\n")
        w(f"\n前{min(FIRST_FINDINGS, len(result.findings))}条 first findings\n")
        for f in result.findings[:FIRST_FINDINGS]:
            where = f"{Path(f.path).name}/{f.sheet}!{f.column or ''}{f.row or ''}" if f.path else "—"
            w(f"  [{f.severity:<7}] {f.kind:<16} {where:<34} {f.message}\n")
    if result.reconciliations:
        w("\n对账 reconciliations\n")
        w(f"  {'rule':<18} {'key':<28} {'left':>14} {'right':>14} {'difference':>12}  status\n")
        for r in result.reconciliations:
            key = ",".join(f"{v}" for v in r.key.values())
            w(f"  {r.rule:<18} {key:<28} {r.left:>14} {r.right:>14} {r.difference:>12}  {r.status}\n")
    for skipped in result.skipped_rules:
        w(f"  跳过 skipped {skipped['rule']}: {skipped['reason']}\n")
    w(f"\n合计 summary: 错误 errors {result.errors}, 警告 warnings {result.warnings}\n")


if __name__ == "__main__":
    sys.exit(main())
