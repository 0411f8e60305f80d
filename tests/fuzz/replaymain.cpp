// The main of a fuzz target outside a libFuzzer build: runs every file named on the command line
// (or every file in a named directory) through LLVMFuzzerTestOneInput once. ctest uses it to replay
// the seed corpus and every input that once crashed (tests/fuzz/regressions/), so a found crash
// stays a regression test in the ordinary and the sanitizer builds.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

int runFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", path.c_str());
        return 1;
    }
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    size_t ran = 0;
    int failed = 0;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path arg(argv[i]);
        std::error_code ec;
        if (std::filesystem::is_directory(arg, ec)) {
            std::vector<std::filesystem::path> files;
            for (const auto& entry : std::filesystem::recursive_directory_iterator(arg, ec))
                if (entry.is_regular_file())
                    files.push_back(entry.path());
            for (const auto& f : files) {
                failed += runFile(f);
                ++ran;
            }
        } else {
            failed += runFile(arg);
            ++ran;
        }
    }
    std::printf("replayed %zu input(s)\n", ran);
    return failed == 0 && ran > 0 ? 0 : 1;
}
