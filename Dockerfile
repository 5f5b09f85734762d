# Builds the API and worker images: docker build --target api|worker .
# Node.js 22 (the README asks for 20+; the base image's Ubuntu packages 18) from NodeSource, with npm.
FROM eclipse-temurin:21-jdk AS build
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \
    && curl -fsSL https://deb.nodesource.com/setup_22.x | bash - \
    && apt-get install -y --no-install-recommends nodejs && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN ./mvnw -q -B -DskipTests install

# Both images run as an unprivileged user, size the heap from the container's memory limit, and have curl
# for their healthchecks.
FROM eclipse-temurin:21-jre AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --create-home --home-dir /home/keiko --shell /usr/sbin/nologin keiko
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
WORKDIR /app

FROM runtime AS api
COPY --from=build /src/api/target/keiko-api-*-exec.jar /app/keiko-api.jar
USER 10001
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/keiko-api.jar"]

# Node.js 22 and npm (npx) for stdio MCP servers, which inherit HOME (keiko.mcp.inherited-env) for npm's cache.
FROM runtime AS worker
USER root
RUN curl -fsSL https://deb.nodesource.com/setup_22.x | bash - \
    && apt-get install -y --no-install-recommends nodejs && rm -rf /var/lib/apt/lists/*
# A smaller share of the memory limit for the heap: stdio MCP servers (Node.js) run in the same container.
ENV HOME=/home/keiko JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError"
COPY --from=build /src/worker/target/keiko-worker-*-exec.jar /app/keiko-worker.jar
COPY --from=build /src/mcp-servers /app/mcp-servers
USER 10001
EXPOSE 8081
ENTRYPOINT ["java", "-jar", "/app/keiko-worker.jar"]
