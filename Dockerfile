# ministra-manager as a container: docker build -t ministra-manager . (after ./mvnw -B -DskipTests package).
# Temurin 17 JRE, a non-root user, the class-data-sharing archive made with the image's own JVM (an archive from
# another JVM build would be refused), and a health check on the management port.
FROM eclipse-temurin:17-jre

RUN groupadd --system --gid 10001 ministra-manager \
 && useradd --system --uid 10001 --gid ministra-manager --home-dir /var/lib/ministra-manager --create-home \
        ministra-manager
COPY target/ministra-manager-runner.jar /opt/ministra-manager/lib/ministra-manager-runner.jar

# the training run of the build (pom.xml, class-data-sharing-archive), repeated with this JVM
RUN java -XX:ArchiveClassesAtExit=/opt/ministra-manager/lib/ministra-manager.jsa -Xlog:cds=off -Xlog:cds+dynamic=off \
        -Dmm.log.level=ERROR -Dcamel.main.durationMaxSeconds=2 \
        "-Dmm.db.url=jdbc:h2:mem:cds-training;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH" \
        -Dmm.secret-key-file=/tmp/cds-training/secret.key -Dmm.bootstrap.generate-admin-token=false \
        -Dmm.http.port=0 -Dmm.management.port=0 -Dmm.sim.port=0 \
        -jar /opt/ministra-manager/lib/ministra-manager-runner.jar \
 && rm -rf /tmp/cds-training

USER ministra-manager
WORKDIR /var/lib/ministra-manager
# the embedded default keeps its H2 database, secret key and simulator state here; production uses PostgreSQL
VOLUME /var/lib/ministra-manager
# REST API (mm.http.port) and health / metrics (mm.management.port)
EXPOSE 8080 9876
ENV JAVA_OPTS="-XX:MaxRAMPercentage=50"
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS http://127.0.0.1:9876/observe/health/ready || exit 1
ENTRYPOINT ["sh", "-c", "exec java -XX:SharedArchiveFile=/opt/ministra-manager/lib/ministra-manager.jsa -Xshare:auto $JAVA_OPTS -jar /opt/ministra-manager/lib/ministra-manager-runner.jar"]
