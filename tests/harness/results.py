#!/usr/bin/env python3
"""Counts what a test suite really did, so that ./test.sh cannot report green for a run that went wrong.

  results.py dotnet NAME TRX LOG EXIT_CODE > NAME.json   one `dotnet test` run (its .trx and console log)
  results.py node NAME TAP EXIT_CODE > NAME.json         one `node --test` run (its TAP report)
  results.py show FILE.json SECONDS                       prints one suite's verdict
  results.py expect FILE.json EXPRESSION                   for selftest.sh: exits 0 when the Python expression
                                                          holds over passed, failed, skipped and text
  results.py total FILE.json...                           prints every suite, skip and problem, then
                                                          "N passed, N failed, N skipped"; exits 1 on any failure

Rules (each proven by tests/harness/selftest.sh against a fixture that breaks it):
  - a suite that exits non-zero fails, even when every result it reported passed;
  - an aborted .NET run (crashed or hung test host) fails, naming the tests that were running;
  - a .NET run that counts more tests than it recorded results for fails;
  - a node test that timed out (node files it under "cancelled", not "fail") fails;
  - a suite that ran no test at all, or a node test file that holds none, fails;
  - a suite that ran past its time limit (exit code 124 or 137 from `timeout`) fails;
  - a skipped (or todo) test is counted and listed with its reason; one without a reason fails.
Each problem of a suite counts as one failure on top of its failed tests.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

TRX = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"


def suite(name, passed=0, failed=None, skips=None, problems=None):
    return {"suite": name, "passed": passed, "failed": failed or [], "skips": skips or [],
            "problems": problems or []}


def exit_problems(rc, failed, problems):
    if rc in (124, 137):
        return [f"ran past its time limit and was stopped (exit code {rc})"]
    if rc != 0 and not failed and not problems:
        return [f"exited with code {rc} although no test reported a failure"]
    return []


def dotnet(name, trx_path, log_path, rc):
    log = read(log_path)
    result = suite(name)
    try:
        root = ET.parse(trx_path).getroot()
    except (OSError, ET.ParseError) as e:
        root = None
        result["problems"].append(f"wrote no readable results ({trx_path}: {e})")
    recorded = 0
    if root is not None:
        for r in root.iter(TRX + "UnitTestResult"):
            recorded += 1
            test, outcome = r.get("testName", "?"), r.get("outcome", "?")
            if outcome == "Passed":
                result["passed"] += 1
            elif outcome == "NotExecuted":
                message = r.find(f"{TRX}Output/{TRX}ErrorInfo/{TRX}Message")
                reason = (message.text or "").strip() if message is not None else ""
                result["skips"].append({"test": test, "reason": reason})
            else:
                result["failed"].append(f"{test} ({outcome})")
        counters = root.find(f"{TRX}ResultSummary/{TRX}Counters")
        total = int(counters.get("total", "0")) if counters is not None else 0
        if total > recorded:
            result["problems"].append(f"counted {total} tests but recorded results for {recorded}")
        summary = root.find(f"{TRX}ResultSummary")
        if summary is not None and summary.get("outcome") == "Aborted":
            result["problems"].append("the run was aborted")
    if "Test Run Aborted" in log:
        running = running_when_aborted(log)
        hang = re.search(r"inactivity time of (.+?) has elapsed", log)
        why = f"a test ran longer than {hang.group(1)} (hang timeout)" if hang else "the test host crashed"
        result["problems"].append(f"the run was aborted: {why}; running at the time: {running or 'unknown'}")
    elif recorded == 0 and root is not None:
        result["problems"].append("ran no tests")
    result["problems"] += exit_problems(rc, result["failed"], result["problems"])
    return result


def running_when_aborted(log):
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("The test running when the crash occurred"):
            names = []
            for following in lines[i + 1:]:
                if not following.strip():
                    if names:
                        break
                    continue
                if following.startswith("This test may"):
                    break
                names.append(following.strip())
            return ", ".join(names)
    return ""


def node(name, tap_path, rc):
    tap = read(tap_path)
    result = suite(name)
    if not tap:
        result["problems"].append(f"wrote no TAP report ({tap_path})")
    counts = {k: int(v) for k, v in re.findall(r"^# (tests|pass|fail|cancelled|skipped|todo) (\d+)$", tap, re.M)}
    result["passed"] = counts.get("pass", 0)
    cancelled = []
    for m in re.finditer(r"^([ \t]*)(not ok|ok) \d+ - (.*?)(?: # (SKIP|TODO)\b[ \t]*(.*))?$", tap, re.M):
        indent, verdict, test, directive, reason = m.groups()
        failure = re.match(r"\s*---\n(?:(?!\s*\.\.\.\n).*\n)*?\s*failureType: '(\w+)'", tap[m.end() + 1:])
        kind = failure.group(1) if failure else ""
        if directive:
            prefix = "todo: " if directive == "TODO" else ""
            result["skips"].append({"test": test, "reason": prefix + (reason or "").strip() if reason else ""})
        elif verdict == "not ok" and kind in ("testTimeoutFailure", "cancelledByParent"):
            cancelled.append(f"{test} ({'timed out' if kind == 'testTimeoutFailure' else 'cut off'})")
        elif verdict == "not ok" and kind != "subtestsFailed":  # a describe() block fails with its leaves
            result["failed"].append(test)
        elif verdict == "ok" and not indent and re.search(r"\.[cm]?js$", test):
            result["problems"].append(f"test file {test} holds no test")
            result["passed"] -= 1
    if counts.get("cancelled", 0) or cancelled:
        result["problems"].append(f"{max(counts.get('cancelled', 0), len(cancelled))} test(s) cancelled: "
                                  + (", ".join(cancelled) or "see the TAP report"))
    if tap and counts.get("tests", 0) == 0:
        result["problems"].append("ran no tests")
    result["problems"] += exit_problems(rc, result["failed"], result["problems"])
    return result


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def failures(result):
    unexplained = [s for s in result["skips"] if not s["reason"]]
    return len(result["failed"]) + len(result["problems"]) + len(unexplained)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        return suite(path, problems=[f"left no readable result: {e}"])


def show(r, took=""):
    print(f"  {r['suite']}: {r['passed']} passed, {failures(r)} failed, {len(r['skips'])} skipped{took}")
    for problem in r["problems"]:
        print(f"    ✖ {problem}")
    for test in r["failed"]:
        print(f"    ✖ {test}")
    for s in r["skips"]:
        print(f"    - skipped {s['test']}: {s['reason'] or '✖ no reason given (counts as a failure)'}")


def total(paths):
    results = [load(p) for p in paths]
    for r in results:
        show(r)
    passed = sum(r["passed"] for r in results)
    failed = sum(failures(r) for r in results)
    skipped = sum(len(r["skips"]) for r in results)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


def expect(r, expression):
    facts = {"passed": r["passed"], "failed": failures(r), "skipped": len(r["skips"]), "text": json.dumps(r)}
    if eval(expression, {}, facts):  # the expressions are selftest.sh's own, never input
        return 0
    print(f"    expected {expression}; got {r['passed']} passed, {failures(r)} failed, {len(r['skips'])} skipped:")
    show(r)
    return 1


def main(argv):
    if len(argv) >= 6 and argv[1] == "dotnet":
        print(json.dumps(dotnet(argv[2], argv[3], argv[4], int(argv[5])), indent=1))
    elif len(argv) >= 5 and argv[1] == "node":
        print(json.dumps(node(argv[2], argv[3], int(argv[4])), indent=1))
    elif len(argv) == 4 and argv[1] == "show":
        show(load(argv[2]), f" in {argv[3]} s")
    elif len(argv) == 4 and argv[1] == "expect":
        return expect(load(argv[2]), argv[3])
    elif len(argv) >= 2 and argv[1] == "total":
        return total(argv[2:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
