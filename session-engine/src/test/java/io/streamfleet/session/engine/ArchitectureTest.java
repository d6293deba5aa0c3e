package io.streamfleet.session.engine;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.streamfleet.testkit.arch.FleetArchitecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/** The library's rules: pure Java on shared-contracts, used by session-analytics and the benchmarks' oracle. */
@AnalyzeClasses(packages = {"io.streamfleet.session.engine", "io.streamfleet.session.baseline",
        "io.streamfleet.session.metrics"}, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule shouldDependOnlyOnTheJdkContractsAndItself = classes().that()
            .resideInAnyPackage("io.streamfleet.session.engine..", "io.streamfleet.session.baseline..",
                    "io.streamfleet.session.metrics..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.streamfleet.contracts..",
                    "io.streamfleet.session.engine..", "io.streamfleet.session.baseline..",
                    "io.streamfleet.session.metrics..")
            .because("the library is used by the session service and by the benchmarks, and depends on neither");

    @ArchTest
    static final ArchRule shouldNotDependOnAnyService = FleetArchitecture.noDependencyOnAnyService(
            "io.streamfleet.session.engine", "io.streamfleet.session.baseline", "io.streamfleet.session.metrics");

    @ArchTest
    static final ArchRule shouldKeepTheRulesFreeOfFrameworks = FleetArchitecture.pureCodeIsFreeOfFrameworks(
            "io.streamfleet.session.engine", "io.streamfleet.session.baseline", "io.streamfleet.session.metrics");
}
