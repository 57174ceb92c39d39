package org.gpt4j.tensor;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;

/**
 * The vector instruction set the kernels run on, decided once at start-up: its name, the width of
 * the vectors the JIT compiles {@link FloatVector#SPECIES_PREFERRED} to, and how many vector
 * registers a kernel may keep values in. The register count is what shapes a register tile: a
 * matrix-product tile that needs more accumulators than there are registers spills to memory on
 * every iteration (AVX2's 16 registers hold a 6 x 2-vector tile, AVX-512's and NEON's 32 a
 * 6 x 3 one).
 *
 * <p>On x86 the JVM's {@code UseAVX} level says which registers exist: AVX-512 (level 3) has 32,
 * and keeps them when {@code -XX:MaxVectorSize} narrows the vectors (EVEX encodes 128- and
 * 256-bit operations on all 32); AVX2 and below have 16. On AArch64 NEON and SVE have 32.
 *
 * @param name         {@code avx512}, {@code avx2}, {@code avx}, {@code sse}, {@code neon},
 *                     {@code sve} or {@code generic}
 * @param vectorBits   bits of one float vector (128, 256 or 512)
 * @param registers    vector registers available to a kernel's loop
 */
public record VectorIsa(String name, int vectorBits, int registers) {

    /** The machine this JVM runs on, with the vector width it was started with. */
    public static final VectorIsa CURRENT = detect();

    /** Floats in one vector. */
    public int lanes() {
        return vectorBits / Float.SIZE;
    }

    /** For a report: {@code avx2, 256-bit vectors}. */
    public String describe() {
        return name + ", " + vectorBits + "-bit vectors";
    }

    private static VectorIsa detect() {
        int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            int avx = intVmOption("UseAVX", bits >= 512 ? 3 : bits >= 256 ? 2 : 0);
            return switch (avx) {
                case 3 -> new VectorIsa("avx512", bits, 32);
                case 2 -> new VectorIsa("avx2", bits, 16);
                case 1 -> new VectorIsa("avx", bits, 16);
                default -> new VectorIsa("sse", bits, 16);
            };
        }
        if (arch.equals("aarch64") || arch.equals("arm64")) {
            return new VectorIsa(intVmOption("UseSVE", 0) > 0 ? "sve" : "neon", bits, 32);
        }
        return new VectorIsa("generic", bits, 16);
    }

    /** A numeric HotSpot flag, or {@code fallback} where the JVM does not have or show it. */
    private static int intVmOption(String name, int fallback) {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean == null ? fallback : Integer.parseInt(bean.getVMOption(name).getValue());
        } catch (RuntimeException | LinkageError e) {
            return fallback;
        }
    }
}
