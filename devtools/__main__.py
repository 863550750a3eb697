from devtools.livekit_server import find_or_build_livekit_server

if __name__ == "__main__":
    print(find_or_build_livekit_server())
