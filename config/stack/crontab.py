"""The local stack's scheduler: runs config/deploy/crontab, the file supercronic runs in production.

    python config/stack/crontab.py config/deploy/crontab [--hours 24]

supercronic is not packaged in Debian and a downloaded binary is not an option on this
machine, so make stack runs this small loop instead, on the same crontab, so the local jobs
are the production ones. It keeps supercronic's rules that matter here: cron syntax (minute,
hour, day of month, month, day of week; `*`, `*/n`, `a-b`, `a,b`), times in UTC, and a job
still running is not started again. The loop is bounded: it stops after --hours (make
stack-stop ends it before that) and each job after JOB_TIMEOUT.
"""

import argparse
import datetime
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JOB_TIMEOUT = 3600  # seconds: a nightly index rebuild of a national catalogue fits
RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6)]


def parse_field(text, low, high):
    """The set of values one cron field allows."""
    values = set()
    for part in text.split(","):
        base, _, step = part.partition("/")
        if base == "*":
            start, end = low, high
        elif "-" in base:
            start, end = (int(v) for v in base.split("-"))
        else:
            start = end = int(base)
        values.update(range(start, end + 1, int(step) if step else 1))
    # cron's Sunday may be written 7.
    return {0 if (high == 6 and v == 7) else v for v in values}


def parse(path):
    jobs = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split(None, 5)
        allowed = [parse_field(f, low, high) for f, (low, high) in zip(fields[:5], RANGES, strict=True)]
        jobs.append((allowed, fields[5]))
    return jobs


def due(allowed, moment):
    minute, hour, day, month, weekday = allowed
    cron_weekday = (moment.weekday() + 1) % 7  # cron: Sunday 0
    return (
        moment.minute in minute
        and moment.hour in hour
        and moment.day in day
        and moment.month in month
        and cron_weekday in weekday
    )


def main():
    parser = argparse.ArgumentParser(description="Run a crontab's jobs (UTC), a job never twice at once.")
    parser.add_argument("crontab")
    parser.add_argument("--hours", type=float, default=24.0, help="stop after this long")
    args = parser.parse_args()
    jobs = parse(args.crontab)
    print(f"scheduler: {len(jobs)} jobs from {args.crontab}", flush=True)
    running = {}  # command -> (Popen, started)
    stop_at = time.monotonic() + args.hours * 3600
    last_minute = None
    # One pass a few seconds apart, never more than the hours allowed.
    for _ in range(int(args.hours * 3600 / 5) + 1):
        if time.monotonic() >= stop_at:
            break
        now = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0)
        for command, (process, started) in list(running.items()):
            if process.poll() is not None:
                print(f"scheduler: done ({process.returncode}) {command}", flush=True)
                del running[command]
            elif time.monotonic() - started > JOB_TIMEOUT:
                process.kill()
                print(f"scheduler: killed after {JOB_TIMEOUT} s: {command}", flush=True)
        if now != last_minute:
            last_minute = now
            for allowed, command in jobs:
                if not due(allowed, now):
                    continue
                if command in running:
                    print(f"scheduler: still running, not started again: {command}", flush=True)
                    continue
                argv = shlex.split(command)
                if argv[0] == "python":
                    argv[0] = sys.executable  # the stack's virtualenv, as the image's python
                print(f"scheduler: start {command}", flush=True)
                running[command] = (subprocess.Popen(argv, cwd=ROOT), time.monotonic())  # noqa: S603 (the crontab's own jobs)
        time.sleep(5)
    for process, _started in running.values():
        process.terminate()


if __name__ == "__main__":
    main()
