package dev.ministramanager.tariffs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.ministra.MinistraResult;
import org.junit.jupiter.api.Test;

/** Only a list of well-formed plans is a listing: "unavailable" is never read as "no plans". */
class TariffListingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aResultThatIsNotAListIsRefusedNotReadAsNoPlans() throws Exception {
        for (String results : new String[] {"null", "{}", "\"\"", "false", "{\"0\":{\"id\":\"1\"}}"}) {
            CatalogueRefused refused = catchThrowableOfType(CatalogueRefused.class,
                    () -> TariffListing.read(new MinistraResult(JSON.readTree(results), null, 1)));
            assertThat(refused.reason()).as(results).isEqualTo("listing_not_a_list");
            assertThat(refused.isHeld()).isFalse();
        }
    }

    @Test
    void malformedPlansRefuseTheWholeListing() throws Exception {
        for (String results : new String[] {"[1]", "[{\"external_id\":\"basic\",\"packages\":[]}]",
                "[{\"id\":\"1\",\"external_id\":\"basic\"}]",
                "[{\"id\":\"1\",\"external_id\":\"basic\",\"packages\":[{\"id\":\"1\",\"external_id\":\"x\","
                        + "\"price\":\"free\"}]}]",
                "[{\"id\":\"1\",\"external_id\":\"basic\",\"days_to_expires\":\"soon\",\"packages\":[]}]"}) {
            CatalogueRefused refused = catchThrowableOfType(CatalogueRefused.class,
                    () -> TariffListing.read(new MinistraResult(JSON.readTree(results), null, 1)));
            assertThat(refused.reason()).as(results).isEqualTo("malformed_listing");
        }
    }

    @Test
    void phpOutputHoldsTheListing() throws Exception {
        CatalogueRefused refused = catchThrowableOfType(CatalogueRefused.class, () -> TariffListing.read(
                new MinistraResult(JSON.readTree("[]"), "<b>Warning</b>: count()", 1)));
        assertThat(refused.reason()).isEqualTo("php_output");
        assertThat(refused.isHeld()).isTrue();
    }

    @Test
    void unaddressablePlansAreSkippedAndTheFirstOfARepeatedExternalIdWins() throws Exception {
        TariffListing listing = TariffListing.read(new MinistraResult(JSON.readTree("""
                [{"id":"1","external_id":"","name":"Nameless","packages":[]},
                 {"id":"2","external_id":"basic","name":"First","user_default":"1","packages":[]},
                 {"id":"3","external_id":"basic","name":"Second","packages":[]},
                 {"id":"4","external_id":"gold","name":"Gold","user_default":null,"days_to_expires":null,
                  "packages":[]}]"""), null, 1));

        assertThat(listing.skipped()).isEqualTo(2);
        assertThat(listing.plans()).extracting(TariffListing.Plan::name).containsExactly("First", "Gold");
        assertThat(listing.plans().get(0).userDefault()).isTrue();
        assertThat(listing.plans().get(0).daysToExpiresSent()).isFalse();
        assertThat(listing.plans().get(1).daysToExpiresSent()).isTrue();
        assertThat(listing.plans().get(1).daysToExpires()).isNull();
    }
}
