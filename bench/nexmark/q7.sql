-- Nexmark q7, highest bid: the bids at the highest price of each 10 s window (Flink's
-- formulation: the bids joined with their window's maximum; the window's end is selected
-- as window_end, by which a job knows a row is final).
INSERT INTO q7
SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra, B1.window_end
FROM bid B
JOIN (
  SELECT max(price) AS maxprice, window_end
  FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
  GROUP BY window_start, window_end
) B1
ON B.price = B1.maxprice
WHERE B.dateTime >= B1.window_end - INTERVAL '10' SECOND AND B.dateTime < B1.window_end;
