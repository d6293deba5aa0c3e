package io.streamfleet.cep;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.streamfleet.testkit.arch.FleetArchitecture;

@AnalyzeClasses(packages = "io.streamfleet.cep", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule shouldNotDependOnAnyOtherService = FleetArchitecture.noDependencyOnOtherServices("io.streamfleet.cep");

    @ArchTest
    static final ArchRule shouldKeepEngineAndPatternFreeOfFrameworks = FleetArchitecture.pureCodeIsFreeOfFrameworks(
            "io.streamfleet.cep.engine", "io.streamfleet.cep.burst");

    @ArchTest
    static final ArchRule shouldKeepStreamAdaptersFreeOfSpring = FleetArchitecture.streamAdaptersAreFreeOfSpring(
            "io.streamfleet.cep.operator", "io.streamfleet.cep.topology");

    @ArchTest
    static final ArchRule shouldKeepEngineMovableToItsOwnModule = com.tngtech.archunit.lang.syntax.ArchRuleDefinition
            .noClasses().that().resideInAPackage("io.streamfleet.cep.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("io.streamfleet.cep.burst..",
                    "io.streamfleet.cep.operator..", "io.streamfleet.cep.topology..", "io.streamfleet.cep.config..",
                    "io.streamfleet.contracts..")
            .because("the engine is generic; the benchmarks module will take it as a library");

    @ArchTest
    static final ArchRule shouldKeepSpringConfigurationInConfigPackage = FleetArchitecture.configurationLivesInConfig("io.streamfleet.cep");

    @ArchTest
    static final ArchRule shouldBuildKafkaClientsOnlyThroughTheSharedFactory =
            FleetArchitecture.kafkaClientsComeFromTheSharedFactory("io.streamfleet.cep");
}
