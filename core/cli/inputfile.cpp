#include "inputfile.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace iotc::cli {

bool readInputFile(const std::string& path, std::string& out)
{
    if (path == "-") {
        std::ostringstream buffer;
        buffer << std::cin.rdbuf();
        out = buffer.str();
        return true;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return true;
}

} // namespace iotc::cli
