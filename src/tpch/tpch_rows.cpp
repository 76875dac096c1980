#include "tpch/tpch_rows.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "common/error.h"
#include "tpch/tpch_dists.h"
#include "tpch/tpch_random.h"
#include "tpch/tpch_text.h"

namespace sluice::tpch {

namespace {

// One random stream per table: the seed of row r of table t is Mix(kSeeds[t], r).
uint64_t TableSeed(TpchTable table) {
  return RowRandom::Mix(0x5A1C'E7C0'0000'0000ULL + static_cast<uint64_t>(table) * 7919);
}

// Cardinalities of one scale factor.
struct Scale {
  explicit Scale(double sf)
      : suppliers(TableRows(TpchTable::kSupplier, sf)),
        parts(TableRows(TpchTable::kPart, sf)),
        customers(TableRows(TpchTable::kCustomer, sf)),
        clerks(std::max<int64_t>(1, static_cast<int64_t>(std::floor(sf * 1000)))) {}
  int64_t suppliers;
  int64_t parts;
  int64_t customers;
  int64_t clerks;
};

template <size_t N>
std::string_view PickFrom(RowRandom& rng, const std::array<std::string_view, N>& list) {
  return list[static_cast<size_t>(rng.Uniform(0, N - 1))];
}

// "Supplier#000000042": a prefix and a key padded to 9 digits.
std::string_view KeyName(std::string& buffer, std::string_view prefix, int64_t key) {
  buffer.clear();
  fmt::format_to(std::back_inserter(buffer), "{}{:09d}", prefix, key);
  return buffer;
}

// A random string of [10, 40] letters, digits, commas and spaces (clause 4.2.2.7 V-string).
std::string_view Address(std::string& buffer, RowRandom& rng) {
  static constexpr std::string_view kAlphabet =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ, ";
  const auto length = static_cast<size_t>(rng.Uniform(10, 40));
  buffer.resize(length);
  for (size_t i = 0; i < length; i++) {
    buffer[i] = kAlphabet[static_cast<size_t>(rng.Uniform(0, kAlphabet.size() - 1))];
  }
  // A leading or trailing space would not survive CSV readers that trim fields.
  if (buffer.front() == ' ') buffer.front() = 'x';
  if (buffer.back() == ' ') buffer.back() = 'x';
  return buffer;
}

// "25-989-741-2988": the country code is the nation key + 10 (clause 4.2.2.9).
std::string_view Phone(std::string& buffer, RowRandom& rng, int64_t nation) {
  buffer.clear();
  fmt::format_to(std::back_inserter(buffer), "{:02d}-{:03d}-{:03d}-{:04d}", nation + 10,
                 rng.Uniform(100, 999), rng.Uniform(100, 999), rng.Uniform(1000, 9999));
  return buffer;
}

std::string_view Comment(RowRandom& rng, int min_length, int max_length) {
  return TextPool::Get().Comment(rng, min_length, max_length);
}

void GenerateRegions(int64_t first, int64_t count, const BatchSink& sink) {
  RowAppender out(TpchTable::kRegion, &sink);
  for (int64_t r = first; r < first + count; r++) {
    RowRandom rng(TableSeed(TpchTable::kRegion), r);
    out.Int(0, r);
    out.Text(1, kRegions[static_cast<size_t>(r)]);
    out.StaticText(2, Comment(rng, 31, 115));
    out.EndRow();
  }
  out.Flush();
}

void GenerateNations(int64_t first, int64_t count, const BatchSink& sink) {
  RowAppender out(TpchTable::kNation, &sink);
  for (int64_t n = first; n < first + count; n++) {
    RowRandom rng(TableSeed(TpchTable::kNation), n);
    out.Int(0, n);
    out.Text(1, kNations[static_cast<size_t>(n)].name);
    out.Int(2, kNations[static_cast<size_t>(n)].region);
    out.StaticText(3, Comment(rng, 31, 114));
    out.EndRow();
  }
  out.Flush();
}

// S_COMMENT: about 5 per 10,000 suppliers carry "Customer ... Complaints" and as many
// "Customer ... Recommends" (clause 4.2.3), which Q16 filters on.
std::string_view SupplierComment(std::string& buffer, RowRandom& rng) {
  const std::string_view base = Comment(rng, 25, 100);
  const int64_t press = rng.Uniform(1, 10'000);
  if (press > 10) return base;
  buffer.assign(base);
  constexpr std::string_view kCustomer = "Customer ";
  const std::string_view verdict = press <= 5 ? "Complaints" : "Recommends";
  const auto fixed = static_cast<int64_t>(kCustomer.size() + verdict.size());
  const auto length = static_cast<int64_t>(buffer.size());
  const int64_t gap = rng.Uniform(0, length - fixed);
  const int64_t start = rng.Uniform(0, length - fixed - gap);
  buffer.replace(static_cast<size_t>(start), kCustomer.size(), kCustomer);
  buffer.replace(static_cast<size_t>(start + static_cast<int64_t>(kCustomer.size()) + gap),
                 verdict.size(), verdict);
  return buffer;
}

void GenerateSuppliers(int64_t first, int64_t count, const BatchSink& sink) {
  RowAppender out(TpchTable::kSupplier, &sink);
  std::string name, address, phone, comment;
  for (int64_t row = first; row < first + count; row++) {
    RowRandom rng(TableSeed(TpchTable::kSupplier), row);
    const int64_t key = row + 1;
    const int64_t nation = rng.Uniform(0, 24);
    out.Int(0, key);
    out.Text(1, KeyName(name, "Supplier#", key));
    out.Text(2, Address(address, rng));
    out.Int(3, nation);
    out.Text(4, Phone(phone, rng, nation));
    out.Money(5, rng.Uniform(-99'999, 999'999));
    out.Text(6, SupplierComment(comment, rng));
    out.EndRow();
  }
  out.Flush();
}

void GenerateCustomers(int64_t first, int64_t count, const BatchSink& sink) {
  RowAppender out(TpchTable::kCustomer, &sink);
  std::string name, address, phone;
  for (int64_t row = first; row < first + count; row++) {
    RowRandom rng(TableSeed(TpchTable::kCustomer), row);
    const int64_t key = row + 1;
    const int64_t nation = rng.Uniform(0, 24);
    out.Int(0, key);
    out.Text(1, KeyName(name, "Customer#", key));
    out.Text(2, Address(address, rng));
    out.Int(3, nation);
    out.Text(4, Phone(phone, rng, nation));
    out.Money(5, rng.Uniform(-99'999, 999'999));
    out.Text(6, PickFrom(rng, kSegments));
    out.StaticText(7, Comment(rng, 29, 116));
    out.EndRow();
  }
  out.Flush();
}

// P_NAME: five distinct colors, space separated.
std::string_view PartName(std::string& buffer, RowRandom& rng) {
  std::array<size_t, 5> picked{};
  for (size_t i = 0; i < picked.size(); i++) {
    size_t color;
    do {
      color = static_cast<size_t>(rng.Uniform(0, kColors.size() - 1));
    } while (std::find(picked.begin(), picked.begin() + i, color) != picked.begin() + i);
    picked[i] = color;
  }
  buffer.clear();
  for (size_t i = 0; i < picked.size(); i++) {
    if (i > 0) buffer += ' ';
    buffer += kColors[picked[i]];
  }
  return buffer;
}

void GenerateParts(const Scale& scale, int64_t first, int64_t count, const BatchSink& sink) {
  RowAppender parts(TpchTable::kPart, &sink);
  RowAppender partsupps(TpchTable::kPartSupp, &sink);
  std::string name, text;
  for (int64_t row = first; row < first + count; row++) {
    RowRandom rng(TableSeed(TpchTable::kPart), row);
    const int64_t key = row + 1;
    const int64_t mfgr = rng.Uniform(1, 5);
    parts.Int(0, key);
    parts.Text(1, PartName(name, rng));
    parts.Text(2, fmt::format("Manufacturer#{}", mfgr));
    parts.Text(3, fmt::format("Brand#{}{}", mfgr, rng.Uniform(1, 5)));
    text.clear();
    text.append(PickFrom(rng, kTypeSyllable1)).append(" ");
    text.append(PickFrom(rng, kTypeSyllable2)).append(" ");
    text.append(PickFrom(rng, kTypeSyllable3));
    parts.Text(4, text);
    parts.Int(5, rng.Uniform(1, 50));
    text.clear();
    text.append(PickFrom(rng, kContainerSyllable1)).append(" ");
    text.append(PickFrom(rng, kContainerSyllable2));
    parts.Text(6, text);
    parts.Money(7, RetailPriceCents(key));
    parts.StaticText(8, Comment(rng, 5, 22));
    parts.EndRow();
    for (int i = 0; i < kSuppliersPerPart; i++) {
      partsupps.Int(0, key);
      partsupps.Int(1, PartSupplier(key, i, scale.suppliers));
      partsupps.Int(2, rng.Uniform(1, 9'999));
      partsupps.Money(3, rng.Uniform(100, 100'000));
      partsupps.StaticText(4, Comment(rng, 49, 198));
      partsupps.EndRow();
    }
  }
  parts.Flush();
  partsupps.Flush();
}

// The k-th (1-based) positive integer that is not a multiple of 3: O_CUSTKEY never is, so a
// third of the customers have no orders (Q13, Q22 rely on it).
int64_t NonMultipleOfThree(int64_t k) { return k + (k - 1) / 2; }

void GenerateOrders(const Scale& scale, int64_t first, int64_t count, const BatchSink& sink) {
  RowAppender orders(TpchTable::kOrders, &sink);
  RowAppender lines(TpchTable::kLineitem, &sink);
  std::string clerk;
  const int64_t order_customers = scale.customers - scale.customers / 3;
  for (int64_t row = first; row < first + count; row++) {
    RowRandom rng(TableSeed(TpchTable::kOrders), row);
    const int64_t order_key = OrderKey(row);
    const int64_t customer =
        NonMultipleOfThree(rng.Uniform(1, std::max<int64_t>(1, order_customers)));
    const auto order_date = static_cast<int32_t>(rng.Uniform(kStartDate, kEndDate - 151));
    const int64_t line_count = rng.Uniform(1, kMaxLinesPerOrder);
    int64_t total_cents = 0;
    int shipped = 0;  // lines with status F
    for (int64_t line = 1; line <= line_count; line++) {
      const int64_t part = rng.Uniform(1, scale.parts);
      const auto supplier_index = static_cast<int>(rng.Uniform(0, kSuppliersPerPart - 1));
      const int64_t quantity = rng.Uniform(1, 50);
      const int64_t discount = rng.Uniform(0, 10);  // percent
      const int64_t tax = rng.Uniform(0, 8);        // percent
      const int64_t extended = quantity * RetailPriceCents(part);
      const auto ship = static_cast<int32_t>(order_date + rng.Uniform(1, 121));
      const auto commit = static_cast<int32_t>(order_date + rng.Uniform(30, 90));
      const auto receipt = static_cast<int32_t>(ship + rng.Uniform(1, 30));
      const bool returnable = receipt <= kCurrentDate;
      const bool returned = rng.Uniform(0, 1) == 1;
      const bool open = ship > kCurrentDate;
      shipped += open ? 0 : 1;
      total_cents += (extended * (100 - discount) * (100 + tax) + 5'000) / 10'000;
      lines.Int(0, order_key);
      lines.Int(1, part);
      lines.Int(2, PartSupplier(part, supplier_index, scale.suppliers));
      lines.Int(3, line);
      lines.Money(4, quantity * 100);
      lines.Money(5, extended);
      lines.Money(6, discount);
      lines.Money(7, tax);
      lines.Text(8, returnable ? (returned ? "R" : "A") : "N");
      lines.Text(9, open ? "O" : "F");
      lines.Date(10, ship);
      lines.Date(11, commit);
      lines.Date(12, receipt);
      lines.Text(13, PickFrom(rng, kInstructions));
      lines.Text(14, PickFrom(rng, kShipModes));
      lines.StaticText(15, Comment(rng, 10, 43));
      lines.EndRow();
    }
    orders.Int(0, order_key);
    orders.Int(1, customer);
    orders.Text(2, shipped == line_count ? "F" : (shipped == 0 ? "O" : "P"));
    orders.Money(3, total_cents);
    orders.Date(4, order_date);
    orders.Text(5, PickFrom(rng, kPriorities));
    orders.Text(6, KeyName(clerk, "Clerk#", rng.Uniform(1, scale.clerks)));
    orders.Int(7, 0);
    orders.StaticText(8, Comment(rng, 19, 78));
    orders.EndRow();
  }
  orders.Flush();
  lines.Flush();
}

}  // namespace

bool IsDriver(TpchTable table) {
  return table != TpchTable::kPartSupp && table != TpchTable::kLineitem;
}

int64_t DriverRows(TpchTable driver, double sf) {
  SLUICE_CHECK(IsDriver(driver), "table={}", TableName(driver));
  return TableRows(driver, sf);
}

int64_t OrderKey(int64_t order_index) { return (order_index / 8) * 32 + order_index % 8 + 1; }

int64_t PartSupplier(int64_t part_key, int i, int64_t suppliers) {
  return (part_key + i * (suppliers / 4 + (part_key - 1) / suppliers)) % suppliers + 1;
}

int64_t RetailPriceCents(int64_t part_key) {
  return 90'000 + (part_key / 10) % 20'001 + 100 * (part_key % 1'000);
}

void GenerateRows(TpchTable driver, double sf, int64_t first, int64_t count,
                  const BatchSink& sink) {
  SLUICE_CHECK(first >= 0 && count >= 0 && first + count <= DriverRows(driver, sf),
               "table={} first={} count={}", TableName(driver), first, count);
  const Scale scale(sf);
  switch (driver) {
    case TpchTable::kRegion:
      return GenerateRegions(first, count, sink);
    case TpchTable::kNation:
      return GenerateNations(first, count, sink);
    case TpchTable::kSupplier:
      return GenerateSuppliers(first, count, sink);
    case TpchTable::kCustomer:
      return GenerateCustomers(first, count, sink);
    case TpchTable::kPart:
      return GenerateParts(scale, first, count, sink);
    case TpchTable::kOrders:
      return GenerateOrders(scale, first, count, sink);
    case TpchTable::kPartSupp:
    case TpchTable::kLineitem:
      break;
  }
  SLUICE_CHECK(false, "not a driver table: {}", TableName(driver));
}

}  // namespace sluice::tpch
