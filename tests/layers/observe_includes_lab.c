/* Must not build: observe may not see the lab. */
#include "explore.h"
