-- Nexmark q0, pass-through: every bid as it is.
INSERT INTO q0 SELECT auction, bidder, price, dateTime, extra FROM bid;
