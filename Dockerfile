# Builds the API and worker images: docker build --target api|worker .
FROM eclipse-temurin:21-jdk AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN ./mvnw -q -B -DskipTests install

FROM eclipse-temurin:21-jre AS api
COPY --from=build /src/api/target/keiko-api-*-exec.jar /app/keiko-api.jar
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/keiko-api.jar"]

FROM eclipse-temurin:21-jre AS worker
RUN apt-get update && apt-get install -y --no-install-recommends nodejs && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/worker/target/keiko-worker-*-exec.jar /app/keiko-worker.jar
COPY --from=build /src/mcp-servers /app/mcp-servers
WORKDIR /app
ENTRYPOINT ["java", "-jar", "/app/keiko-worker.jar"]
