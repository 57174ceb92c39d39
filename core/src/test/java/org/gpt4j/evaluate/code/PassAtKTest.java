package org.gpt4j.evaluate.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The stable product form equals the closed form 1 - C(n-c, k) / C(n, k), computed exactly. */
class PassAtKTest {

    @Property(tries = 300)
    void equalsTheClosedFormWithBigIntegers(@ForAll @IntRange(min = 1, max = 220) int n,
                                           @ForAll @IntRange(min = 0, max = 220) int c0,
                                           @ForAll @IntRange(min = 1, max = 220) int k0) {
        int c = c0 % (n + 1);
        int k = 1 + (k0 - 1) % n;
        BigDecimal ratio = new BigDecimal(binomial(n - c, k)).divide(new BigDecimal(binomial(n, k)), MathContext.DECIMAL128);
        double exact = 1 - ratio.doubleValue();
        assertThat(PassAtK.estimate(n, c, k)).isCloseTo(exact, within(1e-12));
    }

    @Test
    void edgeCases() {
        assertThat(PassAtK.estimate(10, 0, 1)).isZero();
        assertThat(PassAtK.estimate(10, 10, 10)).isEqualTo(1.0);
        assertThat(PassAtK.estimate(10, 3, 8)).isEqualTo(1.0); // n - c < k: every draw of 8 holds a pass
        assertThat(PassAtK.estimate(200, 1, 1)).isCloseTo(0.005, within(1e-15));
        assertThatThrownBy(() -> PassAtK.estimate(5, 1, 6)).hasMessageContaining("at least 6 samples");
        assertThatThrownBy(() -> PassAtK.estimate(5, 6, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PassAtK.estimate(5, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static BigInteger binomial(int n, int k) {
        if (k < 0 || k > n) {
            return BigInteger.ZERO;
        }
        BigInteger r = BigInteger.ONE;
        for (int i = 1; i <= k; i++) {
            r = r.multiply(BigInteger.valueOf(n - k + i)).divide(BigInteger.valueOf(i));
        }
        return r;
    }
}
