-- Who caused an event, from which request and address (JSON of kernel::origin::Origin), for
-- the audit log; null for the shop's own work.
ALTER TABLE store_outbox ADD COLUMN origin TEXT;
