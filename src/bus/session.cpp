#include "bus/session_impl.h"

namespace hark::bus {

template class Session<TcpStream>;

}  // namespace hark::bus
