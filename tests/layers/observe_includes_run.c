/* Must not build: observe may not see the runner that uses it. */
#include "proc.h"
