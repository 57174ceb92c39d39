package org.gpt4j.tensor;

/**
 * The register tile of {@link Gemm}: {@code rows} rows of C by {@code vectors} float vectors,
 * every accumulator in a register for the whole k loop. Chosen from the register count, and
 * measured on each (one core, the tile alone over L1-resident panels, against the machine's
 * FMA peak with the same vector width):
 *
 * <ul>
 *   <li>32 registers (AVX-512, NEON, SVE): 6 x 3 = 18 accumulators, 22 registers in use;
 *       95-99% of peak with 512-bit vectors and with 128-bit ones on AMD Zen 5; 60-75% on Intel
 *       Sapphire Rapids, where scalar instructions share the FMA ports (see
 *       {@link ThreeVectorTiles#packed}).</li>
 *   <li>16 registers (AVX2, AVX, SSE): 5 x 2 = 10 accumulators, 13 in use; 99% of peak with
 *       256-bit vectors. BLIS's Haswell/Zen shape, 6 x 2 (12 accumulators, 15 registers), gets
 *       45-65%: with one register to spare C2 spills, and 6 x 3 spills every step.</li>
 * </ul>
 *
 * <p>The tile shape changes no result: every element of C is still summed over k in order, one
 * fused multiply-add at a time. {@code -Dgpt4j.gemm.tile=5x2} or {@code 6x3} overrides the
 * choice (to measure both on one machine).
 *
 * @param rows    rows of C per tile
 * @param vectors float vectors per tile row
 */
record GemmShape(int rows, int vectors) {

    /** For 32 vector registers. */
    static final GemmShape WIDE = new GemmShape(6, 3);
    /** For 16 vector registers. */
    static final GemmShape NARROW = new GemmShape(5, 2);

    static GemmShape choose(VectorIsa isa, String override) {
        if (override != null && !override.isBlank()) {
            return parse(override);
        }
        return isa.registers() >= 32 ? WIDE : NARROW;
    }

    static GemmShape parse(String text) {
        return switch (text.trim()) {
            case "6x3" -> WIDE;
            case "5x2" -> NARROW;
            default -> throw new IllegalArgumentException("gpt4j.gemm.tile must be 6x3 or 5x2, got '" + text + "'");
        };
    }
}
