package io.streamfleet.gateway;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.streamfleet.testkit.arch.FleetArchitecture;

@AnalyzeClasses(packages = "io.streamfleet.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule shouldFollowTheRulesOfEveryService = FleetArchitecture.serviceRules("io.streamfleet.gateway");

    @ArchTest
    static final ArchRule shouldKeepIntakeRulesFreeOfFrameworks =
            FleetArchitecture.pureCodeIsFreeOfFrameworks("io.streamfleet.gateway.intake");
}
