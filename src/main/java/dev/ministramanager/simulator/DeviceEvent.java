package dev.ministramanager.simulator;

import java.time.Instant;

/**
 * A row of Ministra's {@code events} table: what a box receives at its next watchdog poll, until {@code expiresAt}.
 *
 * @param id              queue order
 * @param accountId       the row (device) it is addressed to
 * @param event           the stored event name ({@code update_channels} is stored as {@code update_subscription})
 * @param msg             message text, or the channel number for {@code play_channel}
 * @param needConfirm     1 for messages
 * @param rebootAfterOk   1 for "message, then reboot after OK"
 * @param priority        2 for messages, 1 otherwise
 * @param autoHideTimeout seconds, 0 = none
 * @param param1          the video URL of {@code send_msg_with_video}
 * @param addedAt         when it was queued
 * @param expiresAt       {@code addedAt + ttl}
 */
public record DeviceEvent(long id, long accountId, String event, String msg, int needConfirm, int rebootAfterOk,
                          int priority, int autoHideTimeout, String param1, Instant addedAt, Instant expiresAt) {
}
