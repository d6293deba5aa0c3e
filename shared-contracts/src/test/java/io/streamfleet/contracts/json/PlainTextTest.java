package io.streamfleet.contracts.json;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A plain string is exactly one the contract mapper writes between quotes unchanged. */
class PlainTextTest {

    @Test
    void shouldAcceptPrintableAsciiAndRefuseWhatTheMapperEscapesOrEncodes() {
        assertThat(PlainText.isPlain("a b~!/")).isTrue();
        assertThat(PlainText.isPlain("")).isTrue();
        assertThat(PlainText.isPlain(null)).isFalse();
        assertThat(PlainText.isPlain("a\\b")).isFalse();
        assertThat(PlainText.isPlain("a\"b")).isFalse();
        assertThat(PlainText.isPlain("\u007f")).isFalse();
        assertThat(PlainText.isPlain("\u00e9")).isFalse();
        assertThat(PlainText.isPlain("\n")).isFalse();
    }

    @Property
    void shouldCallAStringPlainOnlyWhenTheMapperWritesItUnchanged(@ForAll String s) {
        String written = ContractMapper.shared().writeValueAsString(s);
        if (PlainText.isPlain(s)) {
            assertThat(written).isEqualTo("\"" + s + "\"");
        }
    }
}
