// Writers of the individual shipped sample files (used by RunSamples). Each returns false, after
// saying why on stderr, when its file cannot be written.
#pragma once

#include <string>

#include "world.hpp"

namespace feedloop::samples {

// Reviews, app reviews, NPS, CSAT and CES files.
bool WriteFeedbackFile(World& world, SampleFile file, const std::string& path);
// tickets_zendesk.json
bool WriteTickets(World& world, const std::string& path);
// chats.csv
bool WriteChats(World& world, const std::string& path);

}  // namespace feedloop::samples
