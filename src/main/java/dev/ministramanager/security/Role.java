package dev.ministramanager.security;

import java.util.Locale;

/** The three roles, each including the rights of the ones before it. */
public enum Role {
    VIEWER, MANAGER, ADMIN;

    public boolean includes(Role required) {
        return ordinal() >= required.ordinal();
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role of(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }
}
