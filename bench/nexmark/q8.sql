-- Nexmark q8, monitor new users: the people who opened an account and created an auction in
-- the same 10 s window (Flink's formulation: windowed aggregates of persons and auctions,
-- joined on their windows; the columns keep the names window_start and window_end, by which
-- a job knows a row is final).
INSERT INTO q8
SELECT P.id, P.name, P.window_start, P.window_end
FROM (
  SELECT id, name, window_start, window_end
  FROM TABLE(TUMBLE(TABLE person, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
  GROUP BY id, name, window_start, window_end
) P
JOIN (
  SELECT seller, window_start, window_end
  FROM TABLE(TUMBLE(TABLE auction, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
  GROUP BY seller, window_start, window_end
) A
ON P.id = A.seller AND P.window_start = A.window_start AND P.window_end = A.window_end;
