package org.gpt4j.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The instruction set the kernels report, and that the forced-width test runs (core's pom runs
 * the kernel tests again with {@code -XX:UseAVX=2} and {@code -XX:MaxVectorSize=16}) really run
 * the narrower path: otherwise those runs would test nothing new.
 */
class VectorIsaTest {

    private static final boolean X86 = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT).matches("amd64|x86_64");

    @Test
    void describesTheRunningJvm() {
        VectorIsa isa = VectorIsa.CURRENT;
        assertThat(isa.vectorBits()).isIn(64, 128, 256, 512, 1024, 2048);
        assertThat(isa.lanes()).isEqualTo(isa.vectorBits() / 32);
        assertThat(isa.registers()).isIn(16, 32);
        assertThat(isa.describe()).isEqualTo(isa.name() + ", " + isa.vectorBits() + "-bit vectors");
        assertThat(Gemm.SHAPE).isEqualTo(isa.registers() >= 32 ? GemmShape.WIDE : GemmShape.NARROW);
    }

    @Test
    void forcedWidthRunsTakeTheNarrowerPath() {
        String forced = System.getProperty("gpt4j.forced.width", "");
        if (forced.equals("128")) {
            assertThat(VectorIsa.CURRENT.vectorBits()).isEqualTo(128);
            assertThat(Gemm.L).isEqualTo(4);
        } else if (forced.equals("avx2") && X86) {
            assertThat(VectorIsa.CURRENT.registers()).isEqualTo(16);
            assertThat(VectorIsa.CURRENT.vectorBits()).isLessThanOrEqualTo(256);
            assertThat(Gemm.SHAPE).isEqualTo(GemmShape.NARROW);
        }
    }

    @Test
    void tileOverrideAcceptsOnlyTheShapesThatExist() {
        assertThat(GemmShape.parse("5x2")).isEqualTo(GemmShape.NARROW);
        assertThat(GemmShape.parse(" 6x3 ")).isEqualTo(GemmShape.WIDE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GemmShape.parse("6x2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6x3 or 5x2");
        assertThat(GemmShape.choose(new VectorIsa("avx2", 256, 16), null)).isEqualTo(GemmShape.NARROW);
        assertThat(GemmShape.choose(new VectorIsa("neon", 128, 32), "")).isEqualTo(GemmShape.WIDE);
        assertThat(GemmShape.choose(new VectorIsa("avx512", 512, 32), "5x2")).isEqualTo(GemmShape.NARROW);
    }
}
