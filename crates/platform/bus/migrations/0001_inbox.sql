-- Events each consumer group has processed: a re-delivered event finds its row and is dropped.
CREATE TABLE bus_inbox (
    consumer     TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    processed_at BIGINT NOT NULL,
    PRIMARY KEY (consumer, event_id)
);
