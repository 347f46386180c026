package dev.tidepool.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Fairness}: the values, their text form, and every bad input. */
class FairnessTest {

    @Test
    void strictIsTheDefaultEverywhere() {
        assertThat(Fairness.STRICT.isStrict()).isTrue();
        assertThat(Fairness.STRICT.maxWait()).isEmpty();
        try (ResourcePool<Object> pool = new ResourcePool<>(Object::new);
             TokenPool tokens = new TokenPool(2)) {
            assertThat(pool.fairness()).isEqualTo(Fairness.STRICT);
            assertThat(tokens.fairness()).isEqualTo(Fairness.STRICT);
            assertThat(ResourcePool.builder(Object::new).build().fairness()).isEqualTo(Fairness.STRICT);
        }
    }

    @Test
    void boundedCarriesItsBound() {
        assertThat(Fairness.bounded().maxWait()).contains(Fairness.DEFAULT_MAX_WAIT);
        assertThat(Fairness.bounded(Duration.ofMillis(5)).maxWait()).contains(Duration.ofMillis(5));
        assertThat(Fairness.bounded(Duration.ofMillis(5)).isStrict()).isFalse();
        assertThat(Fairness.bounded(Duration.ofMillis(5))).isEqualTo(Fairness.bounded(Duration.ofNanos(5_000_000)))
                .hasSameHashCodeAs(Fairness.bounded(Duration.ofNanos(5_000_000)))
                .isNotEqualTo(Fairness.bounded(Duration.ofMillis(6)))
                .isNotEqualTo(Fairness.STRICT);
    }

    @ParameterizedTest
    @CsvSource({
            "STRICT, STRICT",
            "strict, STRICT",
            "'  Strict ', STRICT",
            "BOUNDED(5ms), BOUNDED(5ms)",
            "bounded( 5 ms ), BOUNDED(5ms)",
            "BOUNDED(1500us), BOUNDED(1500us)",
            "BOUNDED(1500µs), BOUNDED(1500us)",
            "BOUNDED(2000us), BOUNDED(2ms)",
            "BOUNDED(3s), BOUNDED(3s)",
            "BOUNDED(7ns), BOUNDED(7ns)",
            "BOUNDED(86400s), BOUNDED(86400s)",
    })
    void parsesWhatToStringWrites(String text, String normalised) {
        Fairness parsed = Fairness.parse(text);
        assertThat(parsed).hasToString(normalised);
        assertThat(Fairness.parse(parsed.toString())).isEqualTo(parsed);
    }

    @Test
    void boundedWithoutABoundIsTheDefault() {
        assertThat(Fairness.parse("BOUNDED")).isEqualTo(Fairness.bounded());
        assertThat(Fairness.parse(" bounded ")).isEqualTo(Fairness.bounded());
        assertThat(Fairness.bounded()).hasToString("BOUNDED(" + Fairness.DEFAULT_MAX_WAIT.toMillis() + "ms)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "FAIR", "STRICTLY", "BOUNDED()", "BOUNDED(5)", "BOUNDED(ms)", "BOUNDED(0ms)",
            "BOUNDED(-1ms)", "BOUNDED(5 minutes)", "BOUNDED(2d)", "BOUNDED(86401s)", "BOUNDED(5ms",
            "BOUNDED(99999999999999999999ms)", "BOUNDED(5ms) extra"})
    void aBadTextIsRejectedNamingIt(String text) {
        assertThatThrownBy(() -> Fairness.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void badBoundsAreRejected() {
        assertThatThrownBy(() -> Fairness.parse(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Fairness.bounded(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Fairness.bounded(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> Fairness.bounded(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-0.001S");
        assertThatThrownBy(() -> Fairness.bounded(Duration.ofDays(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT48H");
    }

    @Test
    void builderAndSetterRejectNull() {
        assertThatThrownBy(() -> ResourcePool.builder(Object::new).fairness(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("fairness");
        assertThatThrownBy(() -> new TokenPool(0, 1, Order.QUEUE, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("fairness");
        try (ResourcePool<Object> pool = new ResourcePool<>(Object::new)) {
            assertThatThrownBy(() -> pool.setFairness(null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("fairness");
            assertThat(pool.fairness()).isEqualTo(Fairness.STRICT);
        }
    }
}
