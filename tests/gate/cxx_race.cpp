// cxx_race: C++ threads. Two std::threads bump a counter; one takes the
// std::mutex, the other does not. The gate builds it with clang++/g++ and
// names the racing line and the functions, demangled.
#include <mutex>
#include <thread>

static int counter;
static std::mutex m;

static void bump_locked(int n)
{
    for (int i = 0; i < n; i++) {
        std::lock_guard<std::mutex> g(m);
        counter++;
    }
}

static void bump(int n)
{
    for (int i = 0; i < n; i++)
        counter++; // @race: no lock
}

int main()
{
    std::thread a(bump_locked, 100), b(bump, 100);
    a.join();
    b.join();
    return 0;
}
