"""A worker written against the genuine runpod-python SDK, used to record and check Hearth's worker protocol.

Two modes (one handler kind per SDK process, as the SDK decides streaming from the handler's type):
  handler.py          async handler; input.case = plain | error-dict | raise | progress | cancel
  handler.py stream   generator handler with return_aggregate_stream (each chunk to job-stream, all of them to job-done)
Nothing here is Hearth-specific: it is what a Runpod user writes.
"""

import asyncio
import sys

import runpod


async def handler(job):
    job_input = job["input"]
    case = job_input["case"]
    if case == "plain":
        return {"echo": job_input["text"], "length": len(job_input["text"])}
    if case == "error-dict":
        return {"error": "the input was refused", "field": "text"}
    if case == "raise":
        raise ValueError("boom from the handler")
    if case == "progress":
        runpod.serverless.progress_update(job, {"percent": 50, "stage": "halfway"})
        # progress_update posts from its own thread; give it time to land before the result.
        await asyncio.sleep(1.5)
        return {"done": True}
    if case == "cancel":
        # Says it is running first: the SDK ignores a stop signal for a job it has taken but not yet started, so the
        # client cancels only after seeing this.
        runpod.serverless.progress_update(job, {"stage": "running"})
        await asyncio.sleep(120)  # cancelled through the stop channel long before this ends
        return {"done": "never"}
    raise KeyError(f"unknown case {case!r}")


def stream_handler(job):
    for i in range(job["input"]["count"]):
        yield {"token": f"t{i}", "index": i}


if __name__ == "__main__":
    if sys.argv[1:] == ["stream"]:
        runpod.serverless.start({"handler": stream_handler, "return_aggregate_stream": True})
    else:
        runpod.serverless.start({"handler": handler})
