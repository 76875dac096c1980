-- Nexmark q11, user sessions: how many bids each bidder makes per session, a session ending
-- after 10 s without a bid (Flink's formulation with the SESSION window table function; the
-- columns keep the names window_start and window_end, by which a job knows a row is final).
INSERT INTO q11
SELECT bidder, count(*) AS bid_count, window_start, window_end
FROM TABLE(SESSION(TABLE bid PARTITION BY bidder, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
GROUP BY bidder, window_start, window_end;
