package dev.tidepool.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/** A bad property fails the start with a message that says what is wrong and what to do. */
@Timeout(120)
@ExtendWith(OutputCaptureExtension.class)
class TidepoolFailureAnalyzerTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TidepoolDataSourceAutoConfiguration.class,
                    DataSourceAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID());

    private void failsWith(Consumer<FailureAnalysis> check, String... properties) {
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new TidepoolFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
            check.accept(analysis);
        });
    }

    @Test
    void aNegativeSizeNamesThePropertyTheValueAndWhereItCameFrom() {
        failsWith(analysis -> {
            assertThat(analysis.getDescription())
                    .contains("spring.datasource.tidepool.maximum-pool-size")
                    .contains("maximumPoolSize")
                    .contains("Value: \"-3\"");
            assertThat(analysis.getAction()).contains("Update spring.datasource.tidepool.maximum-pool-size");
        }, "spring.datasource.tidepool.maximum-pool-size=-3");
    }

    @Test
    void aMinimumAboveTheMaximumNamesBothProperties() {
        failsWith(analysis -> {
            assertThat(analysis.getDescription())
                    .startsWith("Tidepool data source 'dataSource' is misconfigured:")
                    .contains("minimumIdle 12 is greater than maximumPoolSize 5");
            assertThat(analysis.getAction())
                    .contains("spring.datasource.tidepool.minimum-idle")
                    .contains("spring.datasource.tidepool.maximum-pool-size");
        }, "spring.datasource.tidepool.maximum-pool-size=5", "spring.datasource.tidepool.minimum-idle=12");
    }

    @Test
    void anUnknownDriverSaysToAddItOrLetTheUrlChoose() {
        failsWith(analysis -> {
            assertThat(analysis.getDescription()).contains("driverClassName com.example.NoSuchDriver could not be loaded");
            assertThat(analysis.getAction())
                    .contains("Put the JDBC driver's jar on the class path")
                    .contains("spring.datasource.driver-class-name")
                    .contains("spring.datasource.url");
        }, "spring.datasource.driver-class-name=com.example.NoSuchDriver");
    }

    @Test
    void aPasswordIsNeverShown() {
        failsWith(analysis -> assertThat(analysis.getDescription()).doesNotContain("s3cret-pw"),
                "spring.datasource.password=s3cret-pw", "spring.datasource.tidepool.minimum-idle=-1");
    }

    @Test
    void otherFailuresAreLeftToBoot() {
        assertThat(new TidepoolFailureAnalyzer().analyze(new IllegalStateException("not ours"))).isNull();
    }

    @Test
    void bootPrintsTheAnalysisWhenTheApplicationFailsToStart(CapturedOutput output) {
        SpringApplication application = new SpringApplication(Application.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> application.run("--spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(),
                "--spring.datasource.tidepool.maximum-pool-size=4", "--spring.datasource.tidepool.minimum-idle=9",
                "--spring.jmx.enabled=false"))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Tidepool data source 'dataSource' is misconfigured: minimumIdle 9 is greater than maximumPoolSize 4")
                .contains("Update spring.datasource.tidepool.minimum-idle or spring.datasource.tidepool.maximum-pool-size");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {
    }
}
