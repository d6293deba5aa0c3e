package io.streamfleet.session;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.streamfleet.testkit.arch.FleetArchitecture;

@AnalyzeClasses(packages = "io.streamfleet.session", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule shouldFollowTheRulesOfEveryService = FleetArchitecture.serviceRules("io.streamfleet.session");

    @ArchTest
    static final ArchRule shouldKeepSessionAndBaselineRulesFreeOfFrameworks = FleetArchitecture.pureCodeIsFreeOfFrameworks(
            "io.streamfleet.session.metrics", "io.streamfleet.session.baseline");

    @ArchTest
    static final ArchRule shouldKeepStreamAdaptersFreeOfSpring = FleetArchitecture.streamAdaptersAreFreeOfSpring(
            "io.streamfleet.session.topology");
}
