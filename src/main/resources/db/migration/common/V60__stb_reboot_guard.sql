-- When each box was last sent a reboot: the guard against reboot loops, shared by all nodes.
CREATE TABLE stb_reboot_guard (
    company_id   BIGINT      NOT NULL REFERENCES company (id),
    stb_mac      VARCHAR(17) NOT NULL,
    last_sent_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (company_id, stb_mac)
);
