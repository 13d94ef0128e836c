// mixed_main: C++ that calls C (mixed_part.c). Two std::threads call the
// C function add_one(), which is not locked: the race is in the C file.
#include <thread>

extern "C" void add_one(void);
extern "C" int total(void);

int main()
{
    std::thread a([] {
        for (int i = 0; i < 100; i++)
            add_one();
    });
    std::thread b([] {
        for (int i = 0; i < 100; i++)
            add_one();
    });
    a.join();
    b.join();
    return total() > 0 ? 0 : 1;
}
