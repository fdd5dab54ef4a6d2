-- Billing workflows: the billing/ERP customer an account belongs to, drafts (stored, not yet pushed) and the status
-- a quick provision starts with when the request names none.
-- Portable SQL: runs unchanged on PostgreSQL 15+ and on H2 2.x in PostgreSQL mode.

-- the billing system's customer id, free text; several accounts may share one
ALTER TABLE account ADD COLUMN customer_ref VARCHAR(100);
CREATE INDEX account_customer_ref ON account (company_id, customer_ref);

-- a draft's push row waits in state 'draft': the claim takes only pending and retrying pushes
ALTER TABLE account_push DROP CONSTRAINT account_push_state_known;
ALTER TABLE account_push ADD CONSTRAINT account_push_state_known
    CHECK (state IN ('draft', 'pending', 'retrying', 'dead', 'synced', 'discarded'));

-- active, or inactive for ISPs that provision before the customer has paid
ALTER TABLE company ADD COLUMN default_provision_status VARCHAR(16) DEFAULT 'active' NOT NULL;
ALTER TABLE company ADD CONSTRAINT company_provision_status_known
    CHECK (default_provision_status IN ('active', 'inactive'));
