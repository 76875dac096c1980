-- Nexmark q5, hot items: the auctions with the most bids in each 10 s window sliding by 2 s
-- (Flink's formulation with window table functions).
INSERT INTO q5
SELECT AuctionBids.auction, AuctionBids.num, AuctionBids.window_start, AuctionBids.window_end
FROM (
  SELECT auction, count(*) AS num, window_start, window_end
  FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
  GROUP BY auction, window_start, window_end
) AS AuctionBids
JOIN (
  SELECT max(CountBids.num) AS maxn, CountBids.window_start, CountBids.window_end
  FROM (
    SELECT count(*) AS num, window_start, window_end
    FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
    GROUP BY auction, window_start, window_end
  ) AS CountBids
  GROUP BY CountBids.window_start, CountBids.window_end
) AS MaxBids
ON AuctionBids.window_start = MaxBids.window_start AND AuctionBids.window_end = MaxBids.window_end
   AND AuctionBids.num >= MaxBids.maxn;
