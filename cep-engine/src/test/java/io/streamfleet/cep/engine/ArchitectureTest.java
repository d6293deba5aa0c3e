package io.streamfleet.cep.engine;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.streamfleet.testkit.arch.FleetArchitecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The library's rules: pure Java on shared-contracts, and the engine generic (it knows no pattern built on it). */
@AnalyzeClasses(packages = {"io.streamfleet.cep.engine", "io.streamfleet.cep.burst"},
        importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule shouldDependOnlyOnTheJdkContractsAndItself = classes().that()
            .resideInAnyPackage("io.streamfleet.cep.engine..", "io.streamfleet.cep.burst..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.streamfleet.contracts..",
                    "io.streamfleet.cep.engine..", "io.streamfleet.cep.burst..")
            .because("the library is used by the detector service and by the Flink baseline, and depends on neither");

    @ArchTest
    static final ArchRule shouldNotDependOnAnyService = FleetArchitecture.noDependencyOnAnyService(
            "io.streamfleet.cep.engine", "io.streamfleet.cep.burst");

    @ArchTest
    static final ArchRule shouldKeepEngineAndPatternFreeOfFrameworks = FleetArchitecture.pureCodeIsFreeOfFrameworks(
            "io.streamfleet.cep.engine", "io.streamfleet.cep.burst");

    @ArchTest
    static final ArchRule shouldKeepTheEngineGeneric = noClasses().that().resideInAPackage("io.streamfleet.cep.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("io.streamfleet.cep.burst..", "io.streamfleet.contracts..")
            .because("the engine is a pattern library; the burst pattern is one instance of it");
}
