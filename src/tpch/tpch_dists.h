#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "types/date_time.h"

namespace sluice::tpch {

// The fixed vocabularies and constants of the TPC-H specification (clause 4.2.2-4.2.3).
// All lists are picked from uniformly.

struct NationInfo {
  std::string_view name;
  int region;
};
inline constexpr std::array<NationInfo, 25> kNations = {{
    {"ALGERIA", 0},       {"ARGENTINA", 1}, {"BRAZIL", 1}, {"CANADA", 1},
    {"EGYPT", 4},         {"ETHIOPIA", 0},  {"FRANCE", 3}, {"GERMANY", 3},
    {"INDIA", 2},         {"INDONESIA", 2}, {"IRAN", 4},   {"IRAQ", 4},
    {"JAPAN", 2},         {"JORDAN", 4},    {"KENYA", 0},  {"MOROCCO", 0},
    {"MOZAMBIQUE", 0},    {"PERU", 1},      {"CHINA", 2},  {"ROMANIA", 3},
    {"SAUDI ARABIA", 4},  {"VIETNAM", 2},   {"RUSSIA", 3}, {"UNITED KINGDOM", 3},
    {"UNITED STATES", 1},
}};
inline constexpr std::array<std::string_view, 5> kRegions = {"AFRICA", "AMERICA", "ASIA", "EUROPE",
                                                             "MIDDLE EAST"};

// P_NAME is five distinct words of this list.
inline constexpr std::array<std::string_view, 92> kColors = {
    "almond",   "antique",   "aquamarine", "azure",      "beige",     "bisque",    "black",
    "blanched", "blue",      "blush",      "brown",      "burlywood", "burnished", "chartreuse",
    "chiffon",  "chocolate", "coral",      "cornflower", "cornsilk",  "cream",     "cyan",
    "dark",     "deep",      "dim",        "dodger",     "drab",      "firebrick", "floral",
    "forest",   "frosted",   "gainsboro",  "ghost",      "goldenrod", "green",     "grey",
    "honeydew", "hot",       "indian",     "ivory",      "khaki",     "lace",      "lavender",
    "lawn",     "lemon",     "light",      "lime",       "linen",     "magenta",   "maroon",
    "medium",   "metallic",  "midnight",   "mint",       "misty",     "moccasin",  "navajo",
    "navy",     "olive",     "orange",     "orchid",     "pale",      "papaya",    "peach",
    "peru",     "pink",      "plum",       "powder",     "puff",      "purple",    "red",
    "rose",     "rosy",      "royal",      "saddle",     "salmon",    "sandy",     "seashell",
    "sienna",   "sky",       "slate",      "smoke",      "snow",      "spring",    "steel",
    "tan",      "thistle",   "tomato",     "turquoise",  "violet",    "wheat",     "white",
    "yellow"};

// P_TYPE is one syllable of each list ("ECONOMY ANODIZED STEEL"): 150 types.
inline constexpr std::array<std::string_view, 6> kTypeSyllable1 = {"STANDARD", "SMALL",   "MEDIUM",
                                                                   "LARGE",    "ECONOMY", "PROMO"};
inline constexpr std::array<std::string_view, 5> kTypeSyllable2 = {"ANODIZED", "BURNISHED",
                                                                   "PLATED", "POLISHED", "BRUSHED"};
inline constexpr std::array<std::string_view, 5> kTypeSyllable3 = {"TIN", "NICKEL", "BRASS",
                                                                   "STEEL", "COPPER"};
// P_CONTAINER is one syllable of each list ("MED BOX"): 40 containers.
inline constexpr std::array<std::string_view, 5> kContainerSyllable1 = {"SM", "LG", "MED", "JUMBO",
                                                                        "WRAP"};
inline constexpr std::array<std::string_view, 8> kContainerSyllable2 = {
    "CASE", "BOX", "BAG", "JAR", "PKG", "PACK", "CAN", "DRUM"};

inline constexpr std::array<std::string_view, 5> kSegments = {"AUTOMOBILE", "BUILDING", "FURNITURE",
                                                              "MACHINERY", "HOUSEHOLD"};
inline constexpr std::array<std::string_view, 5> kPriorities = {"1-URGENT", "2-HIGH", "3-MEDIUM",
                                                                "4-NOT SPECIFIED", "5-LOW"};
inline constexpr std::array<std::string_view, 4> kInstructions = {
    "DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"};
inline constexpr std::array<std::string_view, 7> kShipModes = {"REG AIR", "AIR",  "RAIL", "SHIP",
                                                               "TRUCK",   "MAIL", "FOB"};

// Dates, in days since 1970-01-01. Orders are placed in [kStartDate, kEndDate - 151] so that
// every line item ships and arrives by kEndDate; kCurrentDate splits shipped / open lines.
inline const int32_t kStartDate = DaysFromCivil(1992, 1, 1);
inline const int32_t kEndDate = DaysFromCivil(1998, 12, 31);
inline const int32_t kCurrentDate = DaysFromCivil(1995, 6, 17);

// Base cardinalities at scale factor 1.
inline constexpr int64_t kSuppliersPerSf = 10'000;
inline constexpr int64_t kPartsPerSf = 200'000;
inline constexpr int64_t kCustomersPerSf = 150'000;
inline constexpr int64_t kOrdersPerSf = 1'500'000;
inline constexpr int kSuppliersPerPart = 4;
inline constexpr int kMaxLinesPerOrder = 7;

}  // namespace sluice::tpch
