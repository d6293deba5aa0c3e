package io.streamfleet.launcher.demo;

import io.streamfleet.contracts.json.ContractMapper;

import java.util.List;
import java.util.Map;

/** JSON for the demo's batches, through the contracts' mapper. */
final class DemoJson {

    private DemoJson() {
    }

    static String array(List<Map<String, Object>> events) {
        return ContractMapper.shared().writeValueAsString(events);
    }
}
