package dev.tidepool.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {
    @Test
    void defaultsAreTheOneMinuteDemoOnEmbeddedH2() throws UsageException {
        DemoOptions options = DemoOptions.parse();

        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.threads()).isEqualTo(1000);
        assertThat(options.poolSize()).isEqualTo(10);
        assertThat(options.workload()).isEqualTo(Workload.MIXED);
        assertThat(options.embedded()).isTrue();
        assertThat(options.effectiveLatency()).isEqualTo(Duration.ofMillis(1));
        assertThat(options.jmxPort()).isEqualTo(DemoOptions.DEFAULT_JMX_PORT);
        assertThat(options.jmxPortGiven()).isFalse();
        assertThat(options.compareHikari()).isFalse();
        assertThat(options.durationPerPool()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void takesBothSpellingsAndUnits() throws UsageException {
        DemoOptions options = DemoOptions.parse("--duration=2m", "--threads", "50", "--pool-size=4",
                "--workload", "SLOW", "--latency", "0.5", "--jmx-port=0", "--compare-hikari", "--plain");

        assertThat(options.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.durationPerPool()).isEqualTo(Duration.ofMinutes(1));
        assertThat(options.threads()).isEqualTo(50);
        assertThat(options.poolSize()).isEqualTo(4);
        assertThat(options.workload()).isEqualTo(Workload.SLOW);
        assertThat(options.effectiveLatency()).isEqualTo(Duration.ofNanos(500_000));
        assertThat(options.jmxPort()).isZero();
        assertThat(options.jmxPortGiven()).isTrue();
        assertThat(options.plain()).isTrue();
        assertThat(DemoOptions.parse("--duration", "45s").duration()).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void aRealDatabaseGetsNoSimulatedLatencyUnlessAskedAndItsPasswordIsNeverShown() throws UsageException {
        DemoOptions options = DemoOptions.parse("--jdbc-url", "jdbc:postgresql://db/app?password=hunter2",
                "--user", "app", "--password", "s3cret");

        assertThat(options.embedded()).isFalse();
        assertThat(options.effectiveLatency()).isZero();
        assertThat(options.toString()).doesNotContain("s3cret").doesNotContain("hunter2").contains("password=****");
        assertThat(new PoolSettings(options.jdbcUrl(), "app", "s3cret", 10).toString())
                .doesNotContain("s3cret").doesNotContain("hunter2");
    }

    @Test
    void redactMasksPasswordParametersOfPostgresAndH2Urls() {
        assertThat(Redact.url("jdbc:postgresql://db/app?user=a&password=x1&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/app?user=a&password=****&ssl=true");
        assertThat(Redact.url("jdbc:h2:tcp://db/app;USER=sa;PASSWORD=x2;MODE=PostgreSQL"))
                .isEqualTo("jdbc:h2:tcp://db/app;USER=sa;PASSWORD=****;MODE=PostgreSQL");
        assertThat(Redact.secret("login failed for s3cret", "s3cret")).isEqualTo("login failed for ****");
    }
}
