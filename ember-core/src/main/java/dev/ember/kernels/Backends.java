package dev.ember.kernels;

import dev.ember.kernels.cpu.CpuBackend;
import dev.ember.tensor.Device;

/** Finds the backend for a device. */
public final class Backends {
    private Backends() {
    }

    /** The backend computing on {@code device}, or a clear error if none is available. */
    public static Backend get(Device device) {
        if (device.type() == Device.Type.CPU) return CpuBackend.INSTANCE;
        throw new UnsupportedOperationException("no backend for device " + device
                + ": this build of Ember computes on the CPU only (CUDA support is planned)");
    }
}
