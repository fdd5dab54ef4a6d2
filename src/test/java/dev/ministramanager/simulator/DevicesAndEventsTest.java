package dev.ministramanager.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.threeten.extra.MutableClock;

/**
 * Boxes coming online through the control API, and the event queue with its TTLs. Watchdog: one second, on the
 * simulator's clock, which the tests advance.
 */
@ExtendWith(SimulatorExtension.class)
@SimulatorExtension.Config(watchdogTimeoutMillis = 1000, testClock = true)
class DevicesAndEventsTest {

    private static final String MAC = "00:1A:79:00:00:01";

    @Test
    void aRegisteredBoxReportsItselfAndIsOnlineUntilTheWatchdogTimesOut(MinistraSimulator simulator,
                                                                         MutableClock clock) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("accounts", "login=alice&account_number=1001&stb_mac=" + MAC);

        simulator.devices().register("00:1a:79:00:00:01", "SN0001", "MAG322", "2.20.02-322", "10.0.0.15");

        String account = http.get("accounts/" + MAC).body();
        assertThat(account).contains("\"stb_sn\":\"SN0001\"", "\"stb_mac\":\"00:1A:79:00:00:01\"",
                "\"stb_type\":\"MAG322\"", "\"online\":\"1\"", "\"ip\":\"10.0.0.15\"", "\"version\":\"2.20.02-322\"");
        assertThat(account).doesNotContain("\"last_active\":\"0000-00-00 00:00:00\"");
        assertThat(http.get("stb/" + MAC).body()).contains("\"online\":\"1\"");

        clock.add(Duration.ofMillis(1_300));
        assertThat(http.get("accounts/" + MAC).body()).contains("\"online\":\"0\"");
        assertThat(simulator.devices().isOnline(MAC)).isFalse();

        assertThat(simulator.devices().keepAlive(MAC)).isPresent();
        assertThat(http.get("users/alice").body()).contains("\"online\":\"1\"");
    }

    @Test
    void anUnknownBoxAddsABlankRowLikeAutoAddStb(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);

        Devices.Device device = simulator.devices().register("001A79ABCDEF", "SN9", "MAG250", "0.2.18", "10.0.0.9");

        assertThat(device.mac()).isEqualTo("00:1A:79:AB:CD:EF");
        assertThat(device.login()).isEmpty();
        assertThat(device.online()).isTrue();
        assertThat(http.get("accounts").body()).contains("{\"login\":\"\",\"full_name\":\"\",\"phone\":\"\","
                + "\"account_number\":\"\",\"tariff_plan\":\"basic\",\"stb_sn\":\"SN9\",\"stb_mac\":\"00:1A:79:AB:CD:EF\","
                + "\"stb_type\":\"MAG250\",\"status\":1,\"online\":\"1\"");
        assertThat(simulator.devices().keepAlive("00:1A:79:00:00:99")).isEmpty();
    }

    @Test
    void devicesThroughTheControlApi(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("accounts", "login=alice&stb_mac=" + MAC);

        var registered = http.control("POST", "/_sim/devices", "{\"mac\":\"" + MAC + "\",\"serial\":\"SN1\","
                + "\"type\":\"MAG322\",\"version\":\"2.20\",\"ip\":\"10.1.1.1\"}");
        assertThat(registered.statusCode()).isEqualTo(200);
        assertThat(registered.body()).contains("\"online\":true", "\"login\":\"alice\"");
        assertThat(http.control("POST", "/_sim/devices/" + MAC + "/keepalive", null).statusCode()).isEqualTo(200);
        assertThat(http.control("POST", "/_sim/devices/00:1A:79:00:00:77/keepalive", null).statusCode())
                .isEqualTo(404);
        assertThat(http.control("POST", "/_sim/devices", "{\"mac\":\"nonsense\"}").statusCode()).isEqualTo(400);

        http.post("send_event/" + MAC, "event=reboot");
        assertThat(http.control("GET", "/_sim/devices/" + MAC + "/events", null).body())
                .contains("\"event\":\"reboot\"");
        assertThat(http.control("GET", "/_sim/devices/" + MAC + "/events?deliver=true", null).body())
                .contains("\"event\":\"reboot\"");
        assertThat(http.control("GET", "/_sim/devices/" + MAC + "/events", null).body()).isEqualTo("[]");
    }

    @Test
    void nonMessageEventsExpireAfterTwiceTheWatchdogMessagesLiveSevenDays(MinistraSimulator simulator,
                                                                           MutableClock clock) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("accounts", "login=alice&account_number=1001&stb_mac=" + MAC);

        http.post("send_event/" + MAC, "event=reboot");
        http.post("send_event/1001", "event=send_msg&msg=Pay+your+bill");
        http.post("send_event/" + MAC, "event=update_channels");

        List<DeviceEvent> pending = simulator.devices().pendingEvents(MAC);
        assertThat(pending).extracting(DeviceEvent::event)
                .containsExactly("reboot", "send_msg", "update_subscription");
        DeviceEvent reboot = pending.get(0);
        assertThat(Duration.between(reboot.addedAt(), reboot.expiresAt())).isEqualTo(Duration.ofSeconds(2));
        DeviceEvent message = pending.get(1);
        assertThat(message.msg()).isEqualTo("Pay your bill");
        assertThat(message.needConfirm()).isEqualTo(1);
        assertThat(message.priority()).isEqualTo(2);
        assertThat(Duration.between(message.addedAt(), message.expiresAt())).isEqualTo(Duration.ofDays(7));

        clock.add(Duration.ofMillis(2_200));
        assertThat(simulator.devices().pendingEvents(MAC)).extracting(DeviceEvent::event)
                .containsExactly("send_msg");
    }

    @Test
    void explicitTtlAndDelivery(MinistraSimulator simulator) throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("accounts", "login=alice&stb_mac=" + MAC);

        http.post("send_event/" + MAC, "event=send_msg&msg=short&ttl=600");
        http.post("stb_msg/" + MAC, "msg=hidden&auto_hide_timeout=30&ttl=60");

        List<DeviceEvent> pending = simulator.devices().pendingEvents(MAC);
        assertThat(pending).hasSize(2);
        assertThat(Duration.between(pending.get(0).addedAt(), pending.get(0).expiresAt()))
                .isEqualTo(Duration.ofSeconds(600));
        assertThat(pending.get(1).autoHideTimeout()).isEqualTo(30);
        assertThat(Duration.between(pending.get(1).addedAt(), pending.get(1).expiresAt()))
                .isEqualTo(Duration.ofSeconds(60));

        assertThat(simulator.devices().takePendingEvents(MAC)).hasSize(2);
        assertThat(simulator.devices().pendingEvents(MAC)).isEmpty();
        assertThat(simulator.devices().allEvents(MAC)).hasSize(2);
    }

    @Test
    void statusChangesQueueCutOffAndCutOnOnlyOnChangeThroughAccounts(MinistraSimulator simulator)
            throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("accounts", "login=alice&account_number=1001&stb_mac=" + MAC);

        http.put("accounts/1001", "status=0");
        http.put("accounts/1001", "status=0");
        http.put("accounts/1001", "status=1");
        assertThat(simulator.devices().pendingEvents(MAC)).extracting(DeviceEvent::event)
                .containsExactly("cut_off", "cut_on");

        // STB PUT sends the event every time, changed or not
        http.put("stb/" + MAC, "status=1");
        http.put("stb/" + MAC, "status=1");
        assertThat(simulator.devices().pendingEvents(MAC)).extracting(DeviceEvent::event)
                .containsExactly("cut_off", "cut_on", "cut_on", "cut_on");
    }

    @Test
    void subscriptionChangesQueueOneMessageWithRebootReplacingUnsentOnes(MinistraSimulator simulator)
            throws Exception {
        MinistraHttp http = new MinistraHttp(simulator);
        http.post("accounts", "login=alice&account_number=1001&stb_mac=" + MAC + "&tariff_plan=premium");

        assertThat(http.put("account_subscription/1001", "subscribed=movies").body())
                .isEqualTo("{\"status\":\"OK\",\"results\":true}");
        assertThat(http.delete("account_subscription/1001").body()).isEqualTo("{\"status\":\"OK\",\"results\":true}");

        List<DeviceEvent> pending = simulator.devices().pendingEvents(MAC);
        assertThat(pending).singleElement().satisfies(event -> {
            assertThat(event.event()).isEqualTo("send_msg");
            assertThat(event.rebootAfterOk()).isEqualTo(1);
            assertThat(event.msg()).isEqualTo(RestApi.SUBSCRIPTION_CHANGED_MESSAGE);
        });
    }
}
