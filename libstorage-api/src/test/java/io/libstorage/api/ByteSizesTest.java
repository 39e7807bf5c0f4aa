package io.libstorage.api;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one size grammar (REX-Ray's: a bare number is GiB) and the one range of volume sizes. */
class ByteSizesTest {

    @Test
    void aBareNumberIsGibAndUnitsAreBinaryOrDecimal() {
        assertThat(ByteSizes.parse("16")).isEqualTo(16 * ByteSizes.GIB);
        assertThat(ByteSizes.parse("1.5")).isEqualTo(3 * ByteSizes.GIB / 2);
        assertThat(ByteSizes.parse(" 0.5 ")).isEqualTo(512 * ByteSizes.MIB);
        assertThat(ByteSizes.parse("1073741824B")).isEqualTo(ByteSizes.GIB);
        assertThat(ByteSizes.parse("1GiB")).isEqualTo(ByteSizes.GIB);
        assertThat(ByteSizes.parse("1g")).isEqualTo(ByteSizes.GIB);
        assertThat(ByteSizes.parse("1GB")).isEqualTo(1_000_000_000L);
        assertThat(ByteSizes.parse("1.5KiB")).isEqualTo(1536);
        assertThat(ByteSizes.parse(" 64 MiB ")).isEqualTo(64 * ByteSizes.MIB);
        assertThat(ByteSizes.parse("2TiB")).isEqualTo(2 * ByteSizes.TIB);
        assertThat(ByteSizes.parse("1.5B")).as("a fraction of a byte rounds up").isEqualTo(2);
    }

    @Test
    void nonPositiveSizesAreRefusedWithCorrectExamples() {
        for (String text : List.of("-5", "0", "0GiB", "-1B", "0.0")) {
            assertThatThrownBy(() -> ByteSizes.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + text + "'").hasMessageContaining("positive")
                    .hasMessageContaining("16 is 16GiB").hasMessageContaining("512MiB")
                    .hasMessageNotContaining("1073741824");
        }
        for (String text : List.of("", " ", "lots", "1e3", "0x10", "1..5", "GiB", "1 2")) {
            assertThatThrownBy(() -> ByteSizes.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a size").hasMessageContaining("16 is 16GiB")
                    .hasMessageNotContaining("1073741824");
        }
        assertThatThrownBy(() -> ByteSizes.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownUnitsNameTheAcceptedOnes() {
        assertThatThrownBy(() -> ByteSizes.parse("12 parsecs")).hasMessageContaining("unknown unit 'parsecs'")
                .hasMessageContaining("B, KiB, MiB, GiB, TiB").hasMessageContaining("KB, MB, GB, TB");
        assertThat(ByteSizes.parse("5Gib")).as("units are case-insensitive").isEqualTo(5 * ByteSizes.GIB);
    }

    @Test
    void sizesFromOnePibUpAreTooLargeWhateverTheirUnit() {
        assertThat(ByteSizes.parse("1023TiB")).isEqualTo(1023 * ByteSizes.TIB);
        assertThat(ByteSizes.parse("0.5PiB")).isEqualTo(512 * ByteSizes.TIB);
        for (String text : List.of("1PiB", "1EiB", "1P", "2E", "2PB", "1EB", "1024TiB", "1048576", "99999999999TiB",
                "9223372036854775807B", "99999999999999999999999999")) {
            assertThatThrownBy(() -> ByteSizes.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + text + "' is too large").hasMessageContaining("less than 1PiB");
        }
    }

    @Test
    void aKeyThatOnceTookBytesRequiresAUnit() {
        assertThat(ByteSizes.parseWithUnit("1MiB")).isEqualTo(ByteSizes.MIB);
        assertThat(ByteSizes.parseWithUnit("4096B")).isEqualTo(4096);
        assertThatThrownBy(() -> ByteSizes.parseWithUnit("1000")).hasMessageContaining("'1000'")
                .hasMessageContaining("needs a unit").hasMessageContaining("1000B");
        assertThatThrownBy(() -> ByteSizes.parseWithUnit("-5B")).hasMessageContaining("positive");
    }

    @Test
    void volumeSizesOutsideTheRangeAreInvalidRequests() {
        ErrorContext ctx = ErrorContext.of("create", "v", "h", "memory");
        for (long bad : new long[] {0, -1, Long.MIN_VALUE, ByteSizes.LIMIT, Long.MAX_VALUE}) {
            assertThatThrownBy(() -> ByteSizes.requireVolumeSize(bad, ctx)).as("%d", bad)
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("volume=v")
                    .hasMessageContaining(String.valueOf(bad));
        }
        assertThat(ByteSizes.requireVolumeSize(ByteSizes.LIMIT - 1, ctx)).isEqualTo(ByteSizes.LIMIT - 1);
        assertThat(ByteSizes.requireVolumeSize(1, ctx)).isEqualTo(1);
    }

    @Test
    void formatAndRoundUp() {
        assertThat(ByteSizes.format(8 * ByteSizes.GIB)).isEqualTo("8GiB");
        assertThat(ByteSizes.format(1000)).isEqualTo("1000B");
        assertThat(ByteSizes.parse(ByteSizes.format(1536 * ByteSizes.MIB))).isEqualTo(1536 * ByteSizes.MIB);
        assertThat(ByteSizes.roundUp(ByteSizes.GIB, 8 * ByteSizes.GIB)).isEqualTo(8 * ByteSizes.GIB);
        assertThat(ByteSizes.roundUp(9 * ByteSizes.GIB, 8 * ByteSizes.GIB)).isEqualTo(16 * ByteSizes.GIB);
        assertThat(ByteSizes.roundUp(16 * ByteSizes.GIB, 8 * ByteSizes.GIB)).isEqualTo(16 * ByteSizes.GIB);
    }
}
