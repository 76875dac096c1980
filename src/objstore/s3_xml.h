#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice {

// Just enough XML for S3's responses, which are flat and attribute-free where we read them:
// the raw inner text of every <tag>...</tag> in `xml`, in document order (nested elements
// included verbatim).
std::vector<std::string_view> XmlElements(std::string_view xml, std::string_view tag);
// The decoded text of the first <tag> element (entities such as &amp; and &#34; replaced),
// or empty when there is none.
std::string XmlText(std::string_view xml, std::string_view tag);

}  // namespace sluice
