package dev.ministramanager.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * account_subscription as API-SPEC.md §3.3 describes it, where the transcript (section H) does not go: POST cannot
 * clear, a repeat changes nothing and answers false without queueing a reboot, identifiers of 12 characters or more
 * are MACs, several identifiers are refused, and the errors for empty data.
 */
@ExtendWith(SimulatorExtension.class)
class AccountSubscriptionTest {

    private static final String OK_TRUE = "{\"status\":\"OK\",\"results\":true}";
    private static final String OK_FALSE = "{\"status\":\"OK\",\"results\":false}";
    private static final String MAC = "00:1A:79:00:0F:01";

    private static String error(String message) {
        return "{\"status\":\"ERROR\",\"results\":null,\"error\":\"" + message + "\"}";
    }

    @Test
    void postSetsTheListButCannotClearItAndARepeatIsFalseWithoutAReboot(MinistraSimulator simulator)
            throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("accounts", "login=sub&account_number=77&stb_mac=" + MAC + "&tariff_plan=basic");

        assertThat(http.post("account_subscription/77", "subscribed[]=sport").body()).isEqualTo(OK_TRUE);
        assertThat(simulator.devices().pendingEvents(MAC)).extracting(DeviceEvent::event).containsExactly("send_msg");
        simulator.devices().takePendingEvents(MAC);

        // the same list again: nothing changes, false, and no message-and-reboot for the box
        assertThat(http.post("account_subscription/77", "subscribed[]=sport").body()).isEqualTo(OK_FALSE);
        assertThat(http.put("account_subscription/77", "subscribed=sport").body()).isEqualTo(OK_FALSE);
        // an empty value is "not touched": POST cannot clear
        assertThat(http.post("account_subscription/77", "subscribed=").body()).isEqualTo(OK_FALSE);
        assertThat(simulator.devices().pendingEvents(MAC)).isEmpty();
        assertThat(http.get("account_subscription/77").body())
                .isEqualTo("{\"status\":\"OK\",\"results\":[{\"mac\":\"" + MAC
                        + "\",\"subscribed\":[\"sport\"],\"subscribed_id\":[\"2\"]}]}");

        // by MAC (12 characters or more), DELETE clears
        assertThat(http.delete("account_subscription/" + MAC).body()).isEqualTo(OK_TRUE);
        assertThat(http.get("account_subscription/" + MAC).body()).contains("\"subscribed\":[]");
        assertThat(http.delete("account_subscription/77").body()).isEqualTo(OK_FALSE);
    }

    @Test
    void errorsForMissingDataUnknownAccountsAndSeveralIdentifiers(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("accounts", "login=one&account_number=1&tariff_plan=basic");
        http.post("accounts", "login=two&account_number=2&tariff_plan=basic");

        assertThat(http.post("account_subscription/1", null).body()).isEqualTo(error("HTTP POST data is empty"));
        assertThat(http.put("account_subscription/1", null).body()).isEqualTo(error("HTTP PUT data is empty"));
        assertThat(http.post("account_subscription/1", "other=1").body()).isEqualTo(error("Insert data is empty"));
        assertThat(http.get("account_subscription/404").body()).isEqualTo(error("Account not found"));
        assertThat(http.put("account_subscription/1,2", "subscribed=sport").body())
                .isEqualTo(error("Only one identifier allowed"));
    }
}
