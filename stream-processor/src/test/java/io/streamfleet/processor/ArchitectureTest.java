package io.streamfleet.processor;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.streamfleet.testkit.arch.FleetArchitecture;

@AnalyzeClasses(packages = "io.streamfleet.processor", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule shouldFollowTheRulesOfEveryService = FleetArchitecture.serviceRules("io.streamfleet.processor");

    @ArchTest
    static final ArchRule shouldKeepRulesFreeOfFrameworks = FleetArchitecture.pureCodeIsFreeOfFrameworks(
            "io.streamfleet.processor.dedup", "io.streamfleet.processor.lateness", "io.streamfleet.processor.stats");

    @ArchTest
    static final ArchRule shouldKeepStreamAdaptersFreeOfSpring = FleetArchitecture.streamAdaptersAreFreeOfSpring(
            "io.streamfleet.processor.topology");
}
