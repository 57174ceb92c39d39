package org.gpt4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** The ring's settings from Spark's configuration: defaults, units, and one clear error per bad value. */
class RingSettingsTest {

    private static SparkConf conf(String... keyValues) {
        SparkConf c = new SparkConf(false);
        for (int i = 0; i < keyValues.length; i += 2) {
            c.set(keyValues[i], keyValues[i + 1]);
        }
        return c;
    }

    @Test
    void defaultsAreThirtyMinutesFourMebibyteBucketsAndOverlap() {
        assertThat(RingSettings.of(conf())).isEqualTo(new RingSettings(30 * 60 * 1000, 1 << 20, true));
    }

    @Test
    void valuesAreReadInTheirUnits() {
        RingSettings s = RingSettings.of(conf(RingSettings.TIMEOUT, "90s", RingSettings.BUCKET_MB, "0.5",
                RingSettings.OVERLAP, "FALSE"));
        assertThat(s).isEqualTo(new RingSettings(90_000, 131_072, false));
    }

    @Test
    void aBadValueIsOneErrorNamingItsKey() {
        assertThatThrownBy(() -> RingSettings.of(conf(RingSettings.BUCKET_MB, "four"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spark.gpt4j.bucketMB must be a number of MiB, got 'four'");
        assertThatThrownBy(() -> RingSettings.of(conf(RingSettings.BUCKET_MB, "0"))).hasMessageContaining("(0, 2048] MiB");
        assertThatThrownBy(() -> RingSettings.of(conf(RingSettings.BUCKET_MB, "NaN"))).hasMessageContaining("(0, 2048] MiB");
        assertThatThrownBy(() -> RingSettings.of(conf(RingSettings.TIMEOUT, "soon"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spark.gpt4j.allreduceTimeout must be a duration");
        assertThatThrownBy(() -> RingSettings.of(conf(RingSettings.TIMEOUT, "100d"))).hasMessageContaining("24 days");
        assertThatThrownBy(() -> RingSettings.of(conf(RingSettings.OVERLAP, "yes")))
                .hasMessage("spark.gpt4j.overlap must be true or false, got 'yes'");
    }
}
