"""Choosing where the model runs, in which precision, with how many CPU threads.

torch is imported where a device is picked, not on import: the GUI and the CLI read DEVICE_CHOICES
before anything loads torch.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyteller.engine.core.errors import DeviceError, tr

DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")
THREADS_ENV = "STORYTELLER_THREADS"

if TYPE_CHECKING:
    import torch


@dataclass(frozen=True)
class DeviceInfo:
    name: str  # "cuda", "mps" or "cpu"
    dtype: torch.dtype
    description: str


def available_devices() -> list[str]:
    import torch

    found = ["cpu"]
    if torch.cuda.is_available():
        found.insert(0, "cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        found.insert(0 if "cuda" not in found else 1, "mps")
    return found


def pick_device(choice: str = "auto") -> DeviceInfo:
    """Auto: CUDA, then MPS, then CPU. Half precision on GPUs (bf16 where the card does it well),
    fp32 on CPUs, where half precision is slower."""
    import torch

    if choice not in DEVICE_CHOICES:
        raise DeviceError(
            tr("Unknown device {device}: choose one of {choices}."),
            device=repr(choice),
            choices=", ".join(DEVICE_CHOICES),
        )
    available = available_devices()
    if choice == "auto":
        choice = available[0]
    elif choice not in available:
        raise DeviceError(
            tr("The device {device} is not available on this computer (available: {available}). Choose Auto or CPU."),
            device=repr(choice), available=", ".join(available),
        )
    if choice == "cuda":
        dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        return DeviceInfo("cuda", dtype, f"GPU: {torch.cuda.get_device_name(0)}")
    if choice == "mps":
        return DeviceInfo("mps", torch.float16, "Apple GPU (Metal)")
    configure_cpu_threads()
    return DeviceInfo("cpu", torch.float32, f"CPU ({torch.get_num_threads()} threads)")


def cpu_thread_count() -> int:
    """One core less than the machine has, so the GUI and the OS keep one.

    Measured on a 2-core box: with the other core busy, 2 threads ran ~8x slower than 1
    (the threads wait on each other at every op), so oversubscribing costs far more than it gains.
    """
    override = os.environ.get(THREADS_ENV)
    if override:
        try:
            return max(1, int(override))
        except ValueError:
            raise DeviceError(
                tr("{variable} must be a whole number of threads, not {value}."),
                variable=THREADS_ENV,
                value=repr(override),
            ) from None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores - 1)


def configure_cpu_threads() -> None:
    import torch

    torch.set_num_threads(cpu_thread_count())
