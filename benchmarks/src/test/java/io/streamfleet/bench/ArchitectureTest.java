package io.streamfleet.bench;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

@AnalyzeClasses(packages = "io.streamfleet.bench", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule shouldKeepTheScenarioGeneratorPure = classes().that()
            .resideInAPackage("io.streamfleet.bench.scenario..").should().onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "io.streamfleet.contracts..", "io.streamfleet.bench.scenario..")
            .because("the generator and its ground truth are pure and deterministic: no I/O, no clock");

    @ArchTest
    static final ArchRule shouldKeepReportsFreeOfNetworkClients = noClasses().that()
            .resideInAPackage("io.streamfleet.bench.report..").should().dependOnClassesThat()
            .resideInAnyPackage("java.net..", "org.apache.kafka..", "io.streamfleet.bench.driver..",
                    "io.streamfleet.bench.cli..");

    @ArchTest
    static final ArchRule shouldNotReadTheWallClockInTheScenario = noClasses().that()
            .resideInAPackage("io.streamfleet.bench.scenario..").should()
            .callMethod(System.class, "currentTimeMillis").orShould().callMethod(System.class, "nanoTime");

    @ArchTest
    static final ArchRule shouldKeepTheRecordingFormatPacingAndAlertDiffFreeOfKafka = noClasses().that()
            .resideInAnyPackage("io.streamfleet.bench.replay", "io.streamfleet.bench.compare").should()
            .dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "java.net..",
                    "io.streamfleet.bench.replay.broker..", "io.streamfleet.bench.cli..")
            .orShould().callMethod(System.class, "currentTimeMillis").orShould().callMethod(System.class, "nanoTime")
            .because("the file format, merge, pacing and diff are plain Java, unit-tested without a broker or clock");

    @ArchTest
    static final ArchRule shouldKeepTheOraclePure = noClasses().that()
            .resideInAPackage("io.streamfleet.bench.oracle..").should().dependOnClassesThat()
            .resideInAnyPackage("java.net..", "org.apache.kafka..", "io.streamfleet.bench.driver..",
                    "io.streamfleet.bench.cli..", "io.streamfleet.bench.topic..")
            .because("what the accepted orders imply is computed from data alone, unit-tested without a broker");
}
