#include "objstore/s3_xml.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(S3Xml, ReadsListingEntriesAndDecodesEntities) {
  const std::string xml =
      "<ListBucketResult><IsTruncated>true</IsTruncated>"
      "<Contents><Key>a&amp;b &lt;c&gt; &#233;&#x41;</Key><Size>12</Size></Contents>"
      "<Contents><Key>d</Key><Size>0</Size></Contents>"
      "<NextContinuationToken>t/1==</NextContinuationToken></ListBucketResult>";
  const auto contents = XmlElements(xml, "Contents");
  ASSERT_EQ(contents.size(), 2u);
  EXPECT_EQ(XmlText(contents[0], "Key"),
            "a&b <c> \xc3\xa9"
            "A");
  EXPECT_EQ(XmlText(contents[0], "Size"), "12");
  EXPECT_EQ(XmlText(contents[1], "Key"), "d");
  EXPECT_EQ(XmlText(xml, "IsTruncated"), "true");
  EXPECT_EQ(XmlText(xml, "NextContinuationToken"), "t/1==");
  EXPECT_EQ(XmlText(xml, "Missing"), "");
}

}  // namespace
}  // namespace sluice
