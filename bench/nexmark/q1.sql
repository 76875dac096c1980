-- Nexmark q1, projection: bid prices in euros.
INSERT INTO q1 SELECT auction, bidder, 0.908 * price AS price, dateTime, extra FROM bid;
